"""Checks on the learner's text that no model can be trusted with: injection, copying, gibberish, language."""

from __future__ import annotations

import re
from dataclasses import dataclass

from appliance.grader._text import STOPWORDS, content_stems, sentences, stems_match, words

_INJECTION = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rubric|prompts?|grading|grader|"
        r"marking|scoring|system prompt|key points|your (rules|guidelines|criteria))\b",
        r"\b(give|award|assign)\b.{0,30}\b(full|maximum|max|perfect|top|highest|100 ?%?|10/10|all)\b.{0,15}"
        r"\b(marks?|points?|scores?|credit|grade|band)\b",
        r"\b(you are now|you're now|act as (an?|the) (ai|grader|assistant|examiner|language model)|"
        r"pretend (to be|you are)|role[- ]?play|as an ai (language )?model|as a (large )?language model|"
        r"new instructions|developer mode|jailbreak|do anything now)",
        r"^\W*(system|assistant|grader|user)\s*(prompt|message)?\s*:",
        r"<\|?/?(im_start|im_end|system|assistant|user|start_of_turn|end_of_turn)\|?>|\[/?INST\]|<</?SYS>>",
        r"[{\[]\s*\"?(score|band|grade|passed|met|confidence|key_?points|red_?flags|needs_review)\"?\s*[:=]",
        r"\b(grade|band|mark|rating)\s*[:=]\s*(strong|pass(ed)?|excellent|full|a\+|100 ?%)",
        r"\bscore\s*[:=]\s*(1\.0+|100 ?%|full|max(imum)?)\b",
        r"\bthis (answer|rationale|response) (is|should be|must be) (graded |marked |scored )?"
        r"(as )?(correct|strong|perfect|excellent|full marks|a pass)",
        r"\b(output|respond with|print)\b.{0,20}\b(json|full marks)\b",
    )
)
_FOREIGN_STOPWORDS = {
    "de": "der die das und ist nicht ich ein eine zu mit den dem sich auch auf für wir sie es",
    "fr": "le la les et est pas je un une des du que qui dans pour avec sur nous vous il elle ce",
    "es": "el la los las y es no un una que de en por para con se lo como pero su al del",
    "it": "il lo la gli le e è non un una che di in per con si del della sono io",
    "nl": "de het een en is niet ik van dat die voor met op te zijn wij ze er",
    "pt": "o a os as e é não um uma que de em por para com se do da eu",
}
_FOREIGN = {lang: frozenset(ws.split()) for lang, ws in _FOREIGN_STOPWORDS.items()}


@dataclass(frozen=True, slots=True)
class Screening:
    """What the safety checks found in a rationale, and the text left to score."""

    scored_text: str
    injection: tuple[str, ...] = ()
    other_language: bool = False
    gibberish: bool = False

    @property
    def reasons(self) -> tuple[str, ...]:
        """Human-readable review reasons for what was found."""
        found = []
        if self.injection:
            found.append("possible prompt injection (text addressing the grader was ignored)")
        if self.other_language:
            found.append("not written in English")
        if self.gibberish:
            found.append("does not read as prose (gibberish?)")
        return tuple(found)


def injection_sentences(text: str) -> list[str]:
    """Return the sentences of ``text`` that address the grader rather than the scenario."""
    return [s for s in sentences(text) if any(p.search(s) for p in _INJECTION)]


def _word_like(word: str) -> bool:
    if word in STOPWORDS or word.isdigit():
        return True
    if len(word) > 22 or re.search(r"(.)\1\1", word):
        return False
    if not re.search(r"[aeiouy]", word):
        return len(word) <= 3
    return re.search(r"[bcdfghjklmnpqrstvwxz]{5,}", word) is None


def _other_language(text: str, tokens: list[str]) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if letters and sum(1 for ch in letters if ord(ch) > 0x24F) / len(letters) > 0.3:
        return True  # mostly non-Latin script
    if len(tokens) < 4:
        return False
    english = sum(1 for w in tokens if w in STOPWORDS) / len(tokens)
    foreign = max(sum(1 for w in tokens if w in stops) / len(tokens) for stops in _FOREIGN.values())
    return foreign >= 0.15 and foreign > 1.5 * english


def _gibberish(text: str, tokens: list[str], vocabulary: frozenset[str] | None) -> bool:
    if len(tokens) < 3:
        return False
    shape = sum(1 for w in tokens if _word_like(w)) / len(tokens)
    if shape < 0.6:
        return True
    english = sum(1 for w in tokens if w in STOPWORDS) / len(tokens)
    if vocabulary is not None and english < 0.1:
        known = sum(1 for w in tokens if w in vocabulary or w in STOPWORDS) / len(tokens)
        return known < 0.5
    return False


def screen(text: str, vocabulary: frozenset[str] | None = None) -> Screening:
    """Run the safety checks; the scored text drops any sentence that addresses the grader."""
    flagged = injection_sentences(text)
    kept = [s for s in sentences(text) if s not in flagged] if flagged else None
    scored = " ".join(kept) if kept is not None else text
    tokens = words(scored)
    other = _other_language(scored, tokens)
    return Screening(
        scored_text=scored,
        injection=tuple(flagged),
        other_language=other,
        gibberish=not other and _gibberish(scored, tokens, vocabulary),
    )


def novel_stems(answer: str, sources: list[str]) -> list[str]:
    """Return the answer's content stems that appear in none of the source texts."""
    known = [s for text in sources for s in content_stems(text)]
    return [s for s in content_stems(answer) if not any(stems_match(s, k) for k in known)]


def copies_verbatim(answer: str, text: str) -> bool:
    """True when the words of ``text`` appear in the answer in order, nearly all of them."""
    needle = [w for w in words(text) if w not in STOPWORDS]
    if len(needle) < 2:
        return False
    haystack = [w for w in words(answer) if w not in STOPWORDS]
    found, position = 0, 0
    for word in needle:
        try:
            position = haystack.index(word, position) + 1
            found += 1
        except ValueError:
            continue
    return found / len(needle) >= 0.9


def keyword_list(answer: str, vocabulary: frozenset[str]) -> bool:
    """True for keyword stuffing: eight or more words, almost no function words, and nearly every content
    word taken from the rubric (prose, and ward shorthand with its own numbers and words, fail one test)."""
    tokens = words(answer)
    if len(tokens) < 8:
        return False
    function_share = sum(1 for w in tokens if w in STOPWORDS) / len(tokens)
    stems = content_stems(answer)
    from_rubric = sum(1 for s in stems if s in vocabulary) / max(1, len(stems))
    return function_share < 0.1 and from_rubric >= 0.7
