"""Expand the hand-written concepts into labelled (premise, statement) pairs for the entailment model.

Labels: ``ENTAILS`` (the statement states the premise), ``CONTRADICTS`` (it negates, hedges, defers or states
the opposite or the unsafe intention) and ``NEUTRAL`` (on topic, or not, but does not state it). Seeded and
deterministic: the same seed gives the same pairs in the same order, so the corpus hash keys the build cache.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Sequence

from appliance.grader._corpus_care import CARE_TOPICS
from appliance.grader._corpus_data import BACKGROUND, Concept
from appliance.grader._corpus_data import TOPICS as FIRST_TOPICS
from appliance.grader._corpus_digital import DIGITAL_TOPICS
from appliance.grader._corpus_science import SCIENCE_TOPICS
from appliance.grader._corpus_ward import WARD_TOPICS

ENTAILS, CONTRADICTS, NEUTRAL = 0, 1, 2
Pair = tuple[str, str, int]

TOPICS: dict[str, list[Concept]] = FIRST_TOPICS | WARD_TOPICS | CARE_TOPICS | DIGITAL_TOPICS | SCIENCE_TOPICS
"""Every topic: the first 20 (``_corpus_data``) and the 38 of corpus v2 (wards, care, digital tools, science)."""

_DO = (
    "{}.",
    "I'd {}.",
    "I will {}.",
    "I'm going to {} now.",
    "Need to {}.",
    "First I would {}.",
    "{} straight away.",
    "So I'll {}.",
    "My plan is to {}.",
    "I would {} because it matters here.",
)
_NOT = (
    "I wouldn't {}.",
    "No need to {}.",
    "I won't {} yet.",
    "I don't think we need to {}.",
    "There's no point trying to {}.",
    "Not going to {}.",
    "I'd rather not {}.",
    "We shouldn't {}.",
    "I won't {}, it can wait.",
    "Don't {}.",
)
_HEDGE = (
    "I might {} later if I get time.",
    "Maybe someone could {} at some point.",
    "Possibly {} tomorrow if things don't improve.",
    "I could consider whether to {} later on.",
    "If it gets a lot worse I may {}.",
)
_DEFER = (
    "The doctors will {}.",
    "Someone else can {}, it's not my job.",
    "Leave it for the day team to {}.",
    "The nurse in charge will {} if she wants to.",
)
_BUT = ("{}, but I won't {}.", "{} but there's no need to {}.", "{}; I wouldn't {} though.")


def _shorthand(text: str, rng: random.Random) -> str:
    """Ward-tablet style: lower case, fewer words, symbols (applied to some statements)."""
    out = text.lower().rstrip(".")
    for old, new in (
        (" and ", " + "),
        (" with ", " w "),
        ("because", "as"),
        ("i would ", ""),
        ("i'd ", ""),
        ("i will ", ""),
        ("the ", ""),
    ):
        if rng.random() < 0.5:
            out = out.replace(old, new)
    return out


def _statements(concept: Concept, rng: random.Random) -> list[str]:
    out = [rng.choice(_DO).format(vp) for vp in concept.get("do", ())]
    out += [rng.choice(_DO).format(vp) for vp in concept.get("do", ()) if rng.random() < 0.7]
    out += list(concept.get("say", ()))
    out += [_shorthand(s, rng) for s in list(out) if rng.random() < 0.4]
    return [
        s[0].upper() + s[1:] if s and s[0].isalpha() and s[0].islower() and rng.random() < 0.5 else s
        for s in out
    ]


def _negations(concept: Concept, rng: random.Random) -> list[str]:
    out = [rng.choice(_NOT).format(vp) for vp in concept.get("do", ())]
    out += [rng.choice(_NOT).format(vp) for vp in concept.get("do", ()) if rng.random() < 0.5]
    out += [rng.choice(_HEDGE).format(vp) for vp in concept.get("do", ()) if rng.random() < 0.6]
    out += list(concept.get("deny", ()))
    out += [_shorthand(s, rng) for s in list(out) if rng.random() < 0.25]
    return out


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{5,}", text.lower()) if w not in _COMMON}


_COMMON = frozenset(
    [
        "about",
        "after",
        "because",
        "before",
        "could",
        "every",
        "first",
        "should",
        "still",
        "their",
        "there",
        "these",
        "those",
        "which",
        "while",
        "would",
    ]
)


def pairs(seed: int = 0) -> list[Pair]:
    """Return every training pair, shuffled with ``seed``."""
    rng = random.Random(seed)
    concepts = [(topic, c) for topic, cs in TOPICS.items() for c in cs]
    expanded = [(topic, c, _statements(c, rng), _negations(c, rng)) for topic, c in concepts]
    out: list[Pair] = []
    for topic, concept, positives, negatives in expanded:
        same_topic = [s for t, c, ps, _ in expanded if t == topic and c is not concept for s in ps]
        other = [s for t, _, ps, _ in expanded if t != topic for s in ps]
        # Negations of *other* points are neutral here: a "not" alone is no contradiction of this point.
        other_negations = [s for _, c, _, ns in expanded if c is not concept for s in ns]
        for premise in concept["kp"]:
            out += [(premise, s, NEUTRAL) for s in rng.sample(other_negations, 3)]
            out += [(premise, s, ENTAILS) for s in positives]
            out += [(premise, s, CONTRADICTS) for s in negatives]
            out += [(premise, s, NEUTRAL) for s in rng.sample(same_topic, min(8, len(same_topic)))]
            out += [(premise, s, NEUTRAL) for s in rng.sample(other, min(len(positives), len(other)))]
            out += [(premise, s, NEUTRAL) for s in rng.sample(BACKGROUND, 3)]
            # Hard neutrals: other topics' statements that share a content word with the premise (a shared
            # verb such as "document" or "report" is not the point), and the point left to someone else.
            shared = [s for s in other if _words(s) & _words(premise)]
            out += [(premise, s, NEUTRAL) for s in rng.sample(shared, min(4, len(shared)))]
            out += [(premise, rng.choice(_DEFER).format(vp), CONTRADICTS) for vp in concept.get("do", ())[:2]]
            for vp in concept.get("do", ())[:2]:
                if same_topic:
                    first = rng.choice(same_topic).rstrip(".")
                    out.append((premise, rng.choice(_BUT).format(first, vp), CONTRADICTS))
                    out.append((premise, f"{first}, then I'll {vp}.", ENTAILS))
        flag = concept.get("rf")
        if flag:
            out += [(flag, s, ENTAILS) for s in concept.get("deny", ())]
            out += [(flag, s, CONTRADICTS) for s in positives[:4]]
            out += [(flag, s, NEUTRAL) for s in rng.sample(other, min(4, len(other)))]
            out += [(flag, s, NEUTRAL) for s in same_topic[:3]]
    rng.shuffle(out)
    return out


def corpus_sha256(items: Sequence[Pair]) -> str:
    """Return the sha256 of the expanded corpus (part of the build-cache key)."""
    return hashlib.sha256(json.dumps(list(items), ensure_ascii=False).encode("utf-8")).hexdigest()
