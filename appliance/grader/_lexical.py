"""Lexical evidence: weighted content-word coverage of a rubric text, and negation scope."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from appliance.grader._text import NEGATIONS, STOPWORDS, _split, content_stems, stem, stems_match, words

_SEGMENT = re.compile(
    r"[,;!?()\n]|:(?!\d)|\.(?!\d)|\s(?:but|and|because|so|then|while|although|though|whereas|that|which|who|if|when|unless|"
    r"until|since)\s",
    re.I,
)
_SCOPE = 4


@dataclass(frozen=True, slots=True)
class Terms:
    """The content stems of a rubric text with their weights (question words count less)."""

    stems: tuple[str, ...]
    weights: tuple[float, ...]

    @property
    def total(self) -> float:
        """Sum of the weights."""
        return sum(self.weights)


def terms(text: str, question_stems: Collection[str] = (), question_weight: float = 0.25) -> Terms:
    """Return the weighted content stems of a rubric text; stems found in the question are down-weighted."""
    unique = list(dict.fromkeys(content_stems(text)))
    weights = tuple(
        question_weight if any(stems_match(s, q) for q in question_stems) else 1.0 for s in unique
    )
    return Terms(tuple(unique), weights)


class StemIndex:
    """The content stems of an answer, for fast exact and prefix lookups."""

    def __init__(self, stems: list[str]) -> None:
        self.stems = stems
        self._exact = set(stems)
        self._long = [s for s in self._exact if len(s) >= 5]

    def __contains__(self, stem_: object) -> bool:
        if stem_ in self._exact:
            return True
        return isinstance(stem_, str) and any(stems_match(stem_, s) for s in self._long)

    def __len__(self) -> int:
        return len(self.stems)


def coverage(target: Terms, answer: StemIndex) -> float:
    """Return the weighted fraction of the target's content words present in the answer (0..1)."""
    if not target.stems or not target.total:
        return 0.0
    found = sum(w for s, w in zip(target.stems, target.weights, strict=True) if s in answer)
    return found / target.total


def dice(a: Collection[str], b: Collection[str]) -> float:
    """Return the Dice overlap of two stem sets (0..1)."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def _is_cue(word: str) -> bool:
    return word.replace("'", "") in NEGATIONS or word.endswith("n't")


@lru_cache(maxsize=1 << 14)
def _segments(text: str) -> tuple[tuple[tuple[str, ...], bool], ...]:
    """Return (content stems, negated) per segment; a segment is negated when it holds an odd number of
    negation cues. Segments end at punctuation and at conjunctions (*but*, *and*, *because*, *that*, *if*...),
    so ``I wouldn't wait, I'd escalate`` leaves *escalate* positive; not at *or*, which coordinates what one
    negation covers (``no point getting cultures or a gas``)."""
    out = []
    for segment in _SEGMENT.split(text):
        tokens = words(segment)
        negated = sum(1 for w in tokens if _is_cue(w)) % 2 == 1
        stems = tuple(stem(w) for w in tokens if w not in STOPWORDS and not _is_cue(w))
        if stems:
            out.append((stems, negated))
    return tuple(out)


def _matches(a: str, b: str) -> bool:
    # equal stems or a long common prefix (stems_match) always share their first four letters: check that first
    return a[:4] == b[:4] and stems_match(a, b)


@lru_cache(maxsize=1 << 14)
def _by_prefix(text: str) -> dict[str, tuple[tuple[str, int], ...]]:
    """The text's content stems with their segment number, keyed by their first four letters."""
    index: dict[str, list[tuple[str, int]]] = {}
    for n, (stems, _) in enumerate(_segments(text)):
        for s in stems:
            index.setdefault(s[:4], []).append((s, n))
    return {k: tuple(v) for k, v in index.items()}


def _occurrences(text: str, word: str) -> list[int]:
    """Numbers of the text's segments that hold the word (or a form of it), in order, once each."""
    return sorted({n for s, n in _by_prefix(text).get(word[:4], ()) if stems_match(s, word)})


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    return sum(1 for x in a if any(_matches(x, y) for y in b))


def negation_mismatch(text: str, target: str, target_terms: Terms) -> bool | None:
    """True when most content words the answer shares with the target sit in a segment of the opposite
    polarity (``I would not escalate`` vs ``Escalate``; ``Switching it off isn't ours to do`` vs
    ``Switches the alert off``). None when they share no content word. A word the target uses both ways
    ("steel is magnetic; aluminium is not magnetic") is compared with the occurrence whose segment shares
    most words with the answer's ("aluminium not magnetic" agrees; "steel isn't magnetic" does not)."""
    mine, theirs = _segments(text), _segments(target)
    shared = flipped = 0
    for word in target_terms.stems:
        here = _occurrences(text, word)
        there = _occurrences(target, word)
        if not here or not there:
            continue
        stems, negated = mine[here[0]]
        closest = max(there, key=lambda n: _overlap(stems, theirs[n][0]))  # first of the best on a tie
        shared += 1
        flipped += negated != theirs[closest][1]
    return None if not shared else 2 * flipped > shared


def overlap_count(text: str, target: Terms) -> int:
    """Return how many of the target's stems occur in ``text``."""
    index = StemIndex(content_stems(text))
    return sum(1 for s in target.stems if s in index)


_ANTONYM_PAIRS = _split(
    """right:wrong always:never always:sometimes correct:incorrect correct:wrong true:false safe:dangerous
safe:harmful reliable:unreliable accurate:inaccurate trust:distrust trust:doubt certain:uncertain sure:unsure
appropriate:inappropriate adequate:inadequate sufficient:insufficient increase:decrease increase:reduce
rise:fall high:low higher:lower more:less more:fewer before:after agree:disagree possible:impossible
likely:unlikely necessary:unnecessary include:exclude accept:reject confirm:refute stable:unstable
normal:abnormal positive:negative open:closed open:close on:off same:different larger:smaller
bigger:smaller faster:slower up:down conductor:insulator attract:repel absorb:reflect gain:lose hot:cold
heat:cool add:remove complete:incomplete visible:invisible connected:disconnected connect:disconnect
valid:invalid legal:illegal relevant:irrelevant responsible:irresponsible mature:immature start:stop
continue:stop continue:discontinue escalate:delay act:wait ignore:heed ignore:check all:none all:some
maximum:minimum strong:weak present:absent important:unimportant enough:insufficient full:empty
win:lose pass:fail success:failure accept:decline better:worse best:worst early:late loud:quiet louder:quieter
push:pull melt:freeze expand:contract heavier:lighter warmer:cooler speed:slow"""
)
_POLAR_PAIRS = tuple(
    tuple(pair.split(":"))
    for pair in _split(
        "more:less more:fewer on:off above:below before:after forwards:backwards "
        "forward:backward towards:away"
    )
)
"""Direction and amount words that the stop-word list drops but that carry the meaning ("**more** oxygen" vs
"**less**", "switch it **on**" vs "**off**"): checked on the raw words of the wording. Not *up*/*down*, which
are mostly parts of phrasal verbs ("build up", "comes down as rain")."""


def _antonym_table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for pair in _ANTONYM_PAIRS:
        a, b = (stem(w) for w in pair.split(":"))
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}


ANTONYMS = _antonym_table()


def polar_flips(text: str, target_text: str) -> int:
    """Count direction or amount words of the wording replaced by their opposite in ``text``."""
    mine, theirs = set(words(text)), set(words(target_text))
    flips = 0
    for a, b in _POLAR_PAIRS:
        for word, opposite in ((a, b), (b, a)):
            if word in theirs and word not in mine and opposite in mine and opposite not in theirs:
                flips += 1
    return flips


def antonym_flips(text: str, target: Terms) -> int:
    """Count target words replaced in ``text`` by an antonym (``right`` -> ``wrong``, ``safe`` -> ``unsafe``)."""
    present = {stem(w) for w in words(text)}
    flips = 0
    for word in target.stems:
        if word in present:
            continue
        opposites = ANTONYMS.get(word, frozenset()) | {stem(f"{p}{word}") for p in ("un", "non", "in", "dis")}
        if any(o in present for o in opposites):
            flips += 1
    return flips


_HEDGE = re.compile(
    r"\b(?:maybe|perhaps|possibly|eventually|whenever)\b"
    r"|\b(?:i|we|someone|somebody|they)\s+(?:might|may|could)\b"
    r"|\bcould\s+(?:consider|think about)\b"
    r"|\bif\s+(?:i|we)\s+(?:get|have|find)\s+(?:a\s+)?(?:chance|time|moment|minute)\b"
    r"|\bat\s+some\s+point\b|\bone\s+day\b|\blater\s+on\b|\bin\s+due\s+course\b|\bnext\s+week\b"
    r"|\bno\s+rush\b|\bif\s+you(?:'re|\s+are)\s+passing\b|\bwhen\s+(?:you|she|he|they)\s+(?:can|get\s+a\s+chance)\b"
    r"|\bif\s+(?:she|he|it|things|the\s+baby)\s+(?:gets?|becomes?|goes?)\s+(?:a\s+lot\s+|much\s+)?worse\b",
    re.I,
)


@lru_cache(maxsize=1 << 14)
def hedged(text: str) -> bool:
    """True when a unit only floats an action ("I might...", "maybe...", "if I get time", "at some point",
    "if she gets worse"): a hedged or deferred statement does not state a key point."""
    return bool(_HEDGE.search(text))
