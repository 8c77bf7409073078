"""Learner-facing feedback in the rubric's own words; never quotes exemplar answers."""

from __future__ import annotations

from appliance.engine import Rubric

NOTES = {
    "empty": "No rationale was written: explain why you chose this action.",
    "injection": "Parts of your answer spoke to the grader rather than about the scenario; they were ignored.",
    "other_language": "Please write your rationale in English so it can be graded.",
    "gibberish": "This could not be read as a rationale; please explain your reasoning in sentences.",
    "off_topic": "Your answer does not seem to address this decision.",
    "copy": "Explain your own reasoning rather than repeating the question or the chosen action.",
    "too_short": "Say a little more about why: one or two full sentences.",
    "keywords": "A list of keywords is not a rationale: explain your reasoning in sentences.",
}


def _clause(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def compose(
    rubric: Rubric,
    *,
    passed: bool,
    met: tuple[str, ...],
    missed: tuple[str, ...],
    red_flags: tuple[str, ...],
    notes: tuple[str, ...] = (),
) -> str:
    """Return feedback naming the key points met and missed and any red flags, in the rubric's wording."""
    lines = [rubric.feedback.passed if passed else rubric.feedback.failed]
    if met:
        lines.append("You covered: " + "; ".join(_clause(rubric.key_point(i).text) for i in met) + ".")
    if missed:
        parts = []
        for ident in missed:
            point = rubric.key_point(ident)
            parts.append(_clause(point.text) + (" (essential)" if point.critical else ""))
        lines.append("Not yet covered: " + "; ".join(parts) + ".")
    flags = {flag.id: flag for flag in rubric.red_flags}
    for ident in red_flags:
        lines.append(f"Reconsider this reasoning: {_clause(flags[ident].text)}.")
    lines.extend(NOTES[n] for n in notes if n in NOTES)
    return " ".join(lines)
