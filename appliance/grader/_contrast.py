"""Split a key-point wording of the form "do X, not Y" into what it asks for and what it rules out.

Rubric authors often state a key point by contrast: "Escalates now, not at the next cares", "call the doctor
straight away, it can't wait till 6", "... and that taking the name out is not enough". An embedding of the
whole wording sits close to an answer that says only the ruled-out part ("I'll check her again at 6"), because
embeddings barely see negation. So the wording is matched by its affirmative part only, and the ruled-out parts
(with their negation removed) are kept as *contrary* texts: an answer sentence that is closer to a contrary text
than to the key point, and does not itself negate it, states the opposite and is no evidence of the point.

Only a clause that starts with a contrast marker ("not ...", "never ...", "no ...", "rather than ...", "instead
of ...") after an affirmative first clause counts as ruled out: a wording whose main clause is negated
("Green doesn't mean she's safe, I go on what I see") or that is one negated statement ("a normal score can't
overrule clinical signs") is kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from appliance.grader._text import NEGATIONS, content_stems, words

_PARTS = re.compile(r"\s*;\s*|\s*:(?!\d)\s*|,\s+|\s+(?=(?:rather than|instead of)\s)|\s+-\s+", re.IGNORECASE)
_MARKER = re.compile(
    r"^(?:(?:and|but|or)\s+)?(?:not|never|no|nor|rather\s+than|instead\s+of)\s+", re.IGNORECASE
)
_MIN_CONTENT_WORDS = 2


@dataclass(frozen=True, slots=True)
class Contrast:
    """A wording split into the part a learner must state and the parts it rules out."""

    affirmative: str
    contrary: tuple[str, ...] = ()


def _split(wording: str) -> list[str]:
    """Split on clause punctuation and contrast words, never inside parentheses."""
    parts, start = [], 0
    for cut in _PARTS.finditer(wording):
        if wording.count("(", 0, cut.start()) > wording.count(")", 0, cut.start()):
            continue
        parts.append(wording[start : cut.start()])
        start = cut.end()
    parts.append(wording[start:])
    return parts


def _negated(part: str) -> bool:
    return any(t.replace("'", "") in NEGATIONS or t.endswith("n't") for t in words(part))


def split_contrast(wording: str) -> Contrast:
    """Return the wording's affirmative part and its ruled-out parts (none when it is not a contrast)."""
    parts = [p.strip(" ,;:.") for p in _split(wording) if p.strip(" ,;:.")]
    if len(parts) < 2 or _negated(parts[0]):
        return Contrast(wording)
    keep, contrary = [parts[0]], []
    for part in parts[1:]:
        ruled_out = _MARKER.sub("", part, count=1)
        if ruled_out == part:
            keep.append(part)
        elif len(content_stems(ruled_out)) >= _MIN_CONTENT_WORDS and not _negated(ruled_out):
            contrary.append(ruled_out)
    if not contrary:
        return Contrast(wording)
    return Contrast(", ".join(keep), tuple(contrary))
