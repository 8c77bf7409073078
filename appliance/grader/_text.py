"""Text handling for grading: unicode clean-up, input limits, sentence/clause units, stems and negation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from appliance.grader._errors import RationaleRejected

MAX_CHARS = 12_000
MAX_WORDS = 2_000
_RAW_CHAR_GUARD = 4 * MAX_CHARS  # refuse absurd input before even normalising it


def _split(text: str) -> list[str]:
    return text.split()


_DROP_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "So", "Sk"}
_KEEP_CONTROLS = {"\n", "\t"}
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'"})
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSE_BREAK = re.compile(
    r"\s*;\s*|\s*:(?!\d)\s*|,\s+|(?<!\beven)\s+(?=(?:even though|because|so that|so|but|although|though|since|whereas|while|which|therefore|"
    r"then|and then|otherwise|unless|as)\s)",
    re.IGNORECASE,
)

NEGATIONS = frozenset(
    _split(
        "not no never none nobody nothing neither nor without cannot dont doesnt didnt wont cant isnt arent "
        "wasnt werent shouldnt wouldnt couldnt mustnt neednt hasnt havent hadnt"
    )
)
STOPWORDS = frozenset(
    _split(
        """a about above after again against all am an and any are as at be been before being below between both
    but by could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most my myself of off on once only
    or other our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when
    where which while who whom why will with would you your yours yourself yourselves also can may might must
    shall us i'd i'll i'm i've it's that's there's they're we're you're let's get got make made really
    just one ok okay yes think feel believe know want going go"""
    )
)
# Word suffixes stripped (longest first) so escalate/escalated/escalating/escalation share a stem.
_SUFFIXES = (
    "ational", "ations", "ation", "ments", "ment", "ness", "ingly", "ings", "ing", "ities", "ity", "ied",
    "edly", "ed", "es", "ers", "er", "ly", "al", "e", "s",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Unit:
    """A span of the rationale that is embedded and matched against the rubric."""

    text: str
    kind: Literal["sentence", "clause", "window", "whole"]
    sentence: int


def _keep(ch: str) -> str:
    category = unicodedata.category(ch)
    if ch in _KEEP_CONTROLS or category not in _DROP_CATEGORIES:
        return ch
    return "" if category == "Cf" else " "  # zero-width characters join, the rest separate words


def normalise(text: str) -> str:
    """Return NFKC text without control, zero-width, private-use or emoji characters, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    cleaned = "".join(_keep(ch) for ch in text)
    lines = (re.sub(r"[ \t]+", " ", line).replace(" .", ".").strip() for line in cleaned.split("\n"))
    return "\n".join(line for line in lines if line)


def check_limits(raw: str) -> str:
    """Normalise the rationale and refuse it if too long, before any model runs; return the clean text.

    :raises RationaleRejected: more than ``MAX_CHARS`` characters or ``MAX_WORDS`` words.
    """
    if len(raw) > _RAW_CHAR_GUARD:
        raise RationaleRejected(_too_long(len(raw), "characters", MAX_CHARS))
    text = normalise(raw)
    if len(text) > MAX_CHARS:
        raise RationaleRejected(_too_long(len(text), "characters", MAX_CHARS))
    count = len(text.split())
    if count > MAX_WORDS:
        raise RationaleRejected(_too_long(count, "words", MAX_WORDS))
    return text


def _too_long(size: int, what: str, limit: int) -> str:
    return (
        f"This rationale is too long to grade ({size:,} {what}; the limit is {limit:,}). "
        "Please explain your reasoning in a few sentences."
    )


def words(text: str) -> list[str]:
    """Return lower-case word tokens; contractions are kept whole (``don't``)."""
    return _WORD.findall(text.lower())


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """Return a crude stem: strip one common suffix and a doubled final consonant."""
    word = word.replace("'", "")
    if len(word) <= 4 or word.isdigit():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def content_stems(text: str) -> list[str]:
    """Return stems of the content words (no stopwords, no negation cues), in order."""
    return list(_content_stems(text))


@lru_cache(maxsize=1 << 14)
def _content_stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text) if w not in STOPWORDS and w.replace("'", "") not in NEGATIONS)


@lru_cache(maxsize=1 << 16)
def stems_match(a: str, b: str) -> bool:
    """True when two stems are equal, or one is a long prefix of the other (inform / informat)."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 3


def has_negation(text: str) -> bool:
    """True when the text holds any negation cue (not, never, no, ...n't)."""
    return any(w.replace("'", "") in NEGATIONS or w.endswith("n't") for w in words(text))


def negated(text: str) -> bool:
    """True when the text carries an odd number of negation cues (``not``, ``never``, ``don't``...)."""
    count = 0
    for word in words(text):
        bare = word.replace("'", "")
        if bare in NEGATIONS or word.endswith("n't"):
            count += 1
    return count % 2 == 1


def sentences(text: str) -> list[str]:
    """Split text into sentences (on ``.!?`` followed by space, and on line breaks)."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and len(words(s)) > 0]


def clauses(sentence: str) -> list[str]:
    """Split a sentence into clauses of at least three words (on ``;:,`` and conjunctions); each clause is
    a verbatim substring of the sentence, so it can be quoted back as evidence."""
    spans: list[list[int]] = []
    start = 0
    for cut in _CLAUSE_BREAK.finditer(sentence):
        spans.append([start, cut.start()])
        start = cut.end()
    spans.append([start, len(sentence)])
    merged: list[list[int]] = []
    for span in spans:
        if merged and len(words(sentence[span[0] : span[1]])) < 3:
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    parts = [sentence[a:b].strip(" ,;:") for a, b in merged]
    return [p for p in parts if len(words(p)) >= 3] or [sentence]


def units(text: str, *, max_units: int = 96) -> list[Unit]:
    """Return the spans to embed, covering the text about once (cost grows with total tokens): short
    sentences whole, longer ones as clauses, very long clauses as overlapping 10-word windows, plus the
    whole answer when it is short (up to 60 words)."""
    found: list[Unit] = []
    seen: set[str] = set()

    def add(span: str, kind: Literal["sentence", "clause", "window", "whole"], index: int) -> None:
        key = span.lower()
        if key not in seen and words(span):
            seen.add(key)
            found.append(Unit(span, kind, index))

    sents = sentences(text)
    for index, sentence in enumerate(sents):
        if len(sentence.split()) < 12:
            add(sentence, "sentence", index)
            continue
        for clause in clauses(sentence):
            tokens = clause.split()
            if len(tokens) <= 16:
                add(clause, "clause" if clause != sentence else "sentence", index)
                continue
            for start in range(0, len(tokens) - 4, 5):
                add(" ".join(tokens[start : start + 10]), "window", index)
    if len(sents) > 1 and len(text.split()) <= 60:
        add(" ".join(sents), "whole", -1)
    return found[:max_units]
