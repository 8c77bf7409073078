"""Match one rubric criterion (a key point or red flag, with its phrasings) against an analysed answer."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from appliance.grader._lexical import (
    StemIndex,
    Terms,
    antonym_flips,
    coverage,
    hedged,
    negation_mismatch,
    overlap_count,
    polar_flips,
)
from appliance.grader._params import Logistic
from appliance.grader._shorthand import expand
from appliance.grader._text import Unit, clauses, content_stems, sentences, units

Embed = Callable[[Sequence[str]], np.ndarray]
Entail = Callable[[Sequence[tuple[str, str]]], np.ndarray]
"""(premise, statement) pairs -> (n, 3) probabilities: entails, contradicts, neutral."""
RED_FLAG_MARGIN = 0.05
"""A unit counts towards a red flag only if it matches it this much better than any key point: a red flag
fails the rationale outright, so near-ties go to the key point (benefit of the doubt)."""


@dataclass(frozen=True, slots=True)
class Target:
    """One wording of a criterion: the rubric text or one of its phrasings."""

    text: str
    terms: Terms
    learned: bool = False
    """Learned from a graded exemplar (one learner's sentence, not an author's wording): it needs a near
    paraphrase, so its evidence is offset by ``ScoringParams.learned_wording_offset``."""


@dataclass(frozen=True, slots=True)
class Criterion:
    """A key point or red flag, ready to match: its wordings, their embeddings and its fitted shift."""

    id: str
    label: str
    weight: float
    critical: bool
    targets: tuple[Target, ...]
    vectors: np.ndarray | None
    shift: float = 0.0
    contrary: tuple[Target, ...] = ()
    """What a "do X, not Y" wording rules out (``_contrast.py``); a unit that states it is no evidence."""
    contrary_vectors: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class AnswerView:
    """An answer cut into units, embedded, and indexed by content stems."""

    text: str
    units: tuple[Unit, ...]
    vectors: np.ndarray | None
    index: StemIndex
    vector: np.ndarray | None
    raw: np.ndarray | None = None
    """Unit embeddings before the question direction was projected out (for the off-topic check)."""

    @property
    def empty(self) -> bool:
        """True when there is nothing to match."""
        return not self.units

    @property
    def hedged(self) -> np.ndarray:
        """Per unit: does it only float the action (maybe, might, if I get time)?"""
        return np.array([hedged(u.text) for u in self.units], dtype=bool)


@dataclass(frozen=True, slots=True)
class Evidence:
    """The best match of one criterion in an answer."""

    logit: float
    cosine: float
    coverage: float
    mismatch: bool
    unit: str | None
    entails: float = 0.0
    """Entailment model: probability that the evidence unit states the criterion (0 without the model)."""
    contradicts: float = 0.0
    """Entailment model: probability that the evidence unit negates or contradicts the criterion."""


@dataclass(frozen=True, slots=True)
class Stance:
    """What the entailment model says about one candidate unit for one criterion."""

    unit: int
    entails: float
    contradicts: float


def stances(
    criteria: Sequence[Criterion], view: AnswerView, entail: Entail | None, k: int, margin: float = 1.0
) -> dict[str, tuple[Stance, ...]]:
    """Read the best units (by embedding cosine) per criterion with the entailment model, in one batch: the
    best one, and up to ``k`` in all that come within ``margin`` cosine of it.

    The premise is the criterion's wording closest to that unit; the whole-answer unit is never a candidate
    (a sentence must state the point by itself, and it keeps the pairs short).
    """
    if entail is None or view.vectors is None or view.empty:
        return {}
    usable = np.array([u.kind != "whole" for u in view.units]) & ~view.hedged
    if not usable.any():
        return {}
    asks: list[tuple[str, int, str, str]] = []
    for c in criteria:
        if c.vectors is None:
            continue
        sims = c.vectors @ view.vectors.T
        best_target = sims.argmax(axis=0)
        best = np.where(usable, sims.max(axis=0), -np.inf)
        order = np.argsort(-best, kind="stable")[: min(k, int(usable.sum()))]
        for unit in (u for u in order if best[u] >= best[order[0]] - margin):
            premise = c.targets[int(best_target[unit])].text
            asks.append((c.id, int(unit), premise, view.units[int(unit)].text))
    if not asks:
        return {}
    probs = entail([(premise, text) for _, _, premise, text in asks])
    out: dict[str, list[Stance]] = {}
    for (ident, unit, _, _), row in zip(asks, probs, strict=True):
        out.setdefault(ident, []).append(Stance(unit, float(row[0]), float(row[1])))
    return {ident: tuple(found) for ident, found in out.items()}


def _log_odds(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def analyse(texts: Sequence[str], embed: Embed | None) -> list[AnswerView]:
    """Cut each text into units and embed all units of all texts in one call."""
    per_text = [units(t) for t in texts]
    flat = [expand(u.text) for us in per_text for u in us]
    vectors = embed(flat) if embed is not None and flat else None
    views, start = [], 0
    for text, us in zip(texts, per_text, strict=True):
        block = vectors[start : start + len(us)] if vectors is not None else None
        start += len(us)
        views.append(_view(text, tuple(us), block))
    return views


def _view(text: str, us: tuple[Unit, ...], vectors: np.ndarray | None) -> AnswerView:
    answer_vector = None
    if vectors is not None and len(us):
        whole = [n for n, u in enumerate(us) if u.kind == "whole"]
        pick = vectors[whole[0]] if whole else vectors.mean(0)
        answer_vector = pick / max(float(np.linalg.norm(pick)), 1e-12)
    return AnswerView(text, us, vectors, StemIndex(content_stems(expand(text))), answer_vector)


def residual(vectors: np.ndarray, question: np.ndarray | None) -> np.ndarray:
    """Remove the question's direction from unit vectors and renormalise (semantic question demoting).

    Answers and rubric texts share the question's topic; what is left after projecting it out is what
    they add to it. Rows that are almost all question become zero (no evidence either way).
    """
    if question is None:
        return vectors
    flat = vectors.reshape(-1, vectors.shape[-1])
    rest = flat - np.outer(flat @ question, question)
    norms = np.linalg.norm(rest, axis=1, keepdims=True)
    out = np.where(norms > 0.2, rest / np.maximum(norms, 1e-12), 0.0).astype(np.float32)
    return out.reshape(vectors.shape)


def projected(view: AnswerView, question: np.ndarray | None) -> AnswerView:
    """Return the view with the question's direction projected out of its embeddings."""
    if question is None or view.vectors is None:
        return view
    vector = residual(view.vector, question) if view.vector is not None else None
    return AnswerView(
        view.text, view.units, residual(view.vectors, question), view.index, vector, view.vectors
    )


def _polarity_unit(text: str, target: Terms) -> str:
    """Return the clause of ``text`` that shares most words with the target."""
    parts = clauses(text) if len(text.split()) >= 8 else [text]
    return max(parts, key=lambda p: overlap_count(p, target))


def _polarity_elsewhere(unit: str, targets: Sequence[Target]) -> bool | None:
    """Polarity of a unit against the criterion's wording that shares most content words with it (None when
    it shares none with any): "My assessment doesn't outweigh the score" may sit closest to a wording it
    shares no word with, but it negates the one it does share words with."""
    shared = [(overlap_count(unit, t.terms), t) for t in targets]
    count, target = max(shared, key=lambda pair: pair[0])
    if count == 0:
        return None
    return negation_mismatch(_polarity_unit(unit, target.terms), target.text, target.terms)


def _lexical_unit(view: AnswerView, target: Terms) -> str | None:
    best, best_count = None, 0
    for sentence in sentences(view.text):
        count = overlap_count(sentence, target)
        if count > best_count:
            best, best_count = sentence, count
    return best


def states_contrary(criterion: Criterion, view: AnswerView, sims: np.ndarray) -> np.ndarray:
    """Per unit: is it closer to what the key point rules out than to the key point, without negating it?"""
    out = np.zeros(len(view.units), dtype=bool)
    if criterion.contrary_vectors is None or view.vectors is None:
        return out
    against = criterion.contrary_vectors @ view.vectors.T
    closest = against.argmax(axis=0)
    for unit in np.flatnonzero(against.max(axis=0) > sims.max(axis=0)):
        ruled_out = criterion.contrary[int(closest[unit])]
        text = expand(view.units[int(unit)].text)
        out[unit] = not negation_mismatch(text, ruled_out.text, ruled_out.terms)
    return out


def unit_similarities(criteria: Sequence[Criterion], view: AnswerView) -> np.ndarray | None:
    """Return, per answer unit, its best cosine to any wording of the given key points that the unit affirms
    (None if lexical). A unit that negates its closest wording, or states what the point rules out, claims
    nothing: "I won't ring the reg" is no key point, so it may still be a red flag's evidence."""
    if view.vectors is None or not criteria or any(c.vectors is None for c in criteria):
        return None
    best = np.full(len(view.units), -1.0, dtype=np.float32)
    texts = [expand(u.text) for u in view.units]
    for c in criteria:
        assert c.vectors is not None
        sims = c.vectors @ view.vectors.T
        closest = sims.argmax(axis=0)
        top = sims.max(axis=0)
        contrary = states_contrary(c, view, sims)
        for unit in np.flatnonzero(top > best):
            target = c.targets[int(closest[unit])]
            if contrary[unit] or negation_mismatch(texts[unit], target.text, target.terms):
                continue
            best[unit] = top[unit]
    return best


def match(
    criterion: Criterion,
    view: AnswerView,
    model: Logistic,
    claimed: np.ndarray | None = None,
    stance: tuple[Stance, ...] | None = None,
    blocked: np.ndarray | None = None,
    learned_offset: float = 0.0,
) -> Evidence:
    """Return the best evidence for the criterion over its wordings and the answer's units.

    With ``claimed`` (each unit's best similarity to the key points) this is a red-flag match: a unit that
    says a key point nearly as well as the red flag is not evidence of it, and word coverage is counted
    in the evidence unit only (a red flag is one statement, not words scattered over the answer).
    """
    if view.empty:
        return Evidence(
            model.logit(0.0, 0.0, 0.0, _log_odds(0.0) if model.ent else 0.0), 0.0, 0.0, False, None
        )
    sims = None
    if criterion.vectors is not None and view.vectors is not None:
        sims = criterion.vectors @ view.vectors.T
        if claimed is not None:
            sims = np.where(sims > claimed[None, :] + RED_FLAG_MARGIN, sims, -1.0)
        else:  # a key point: hedged units, units that state what it rules out, and units that are evidence
            # of a red flag are no evidence of it
            mask = view.hedged if blocked is None else view.hedged | blocked
            mask = mask | states_contrary(criterion, view, sims)
            sims = np.where(mask[None, :], -1.0, sims)
    if stance and blocked is not None:
        stance = tuple(s for s in stance if not blocked[s.unit])
    best: Evidence | None = None
    for n, target in enumerate(criterion.targets):
        if sims is not None:
            at = int(np.argmax(sims[n]))
            cosine, unit = float(sims[n, at]), view.units[at].text
            if cosine <= -1.0:
                cosine, unit = 0.0, None  # type: ignore[assignment]
        else:
            cosine, unit = 0.0, _lexical_unit(view, target.terms)  # type: ignore[assignment]
        local = claimed is not None and sims is not None
        index = StemIndex(content_stems(unit or "")) if local else view.index
        cov = coverage(target.terms, index)
        mismatch = False
        if unit is not None:
            clause = _polarity_unit(expand(unit), target.terms)
            negation = negation_mismatch(clause, target.text, target.terms)
            if negation is None:  # no word in common: judge polarity against the wording that shares most
                negation = _polarity_elsewhere(expand(unit), criterion.targets)
            if negation is None:
                negation = bool(negation_mismatch(expand(view.text), target.text, target.terms))
            flips = antonym_flips(clause, target.terms) + polar_flips(clause, target.text)
            mismatch = negation != (flips % 2 == 1)
        logit = model.logit(cosine, cov, float(mismatch)) + (learned_offset if target.learned else 0.0)
        if best is None or logit > best.logit:
            best = Evidence(logit, cosine, cov, mismatch, unit)
    assert best is not None
    if stance:
        top = max(stance, key=lambda s: s.entails)
        logit = best.logit + model.ent * _log_odds(top.entails)
        # Its *contradicts* probability is reported but not used as a veto: on the development set it
        # removed more true ticks than false ones (see docs/grading.md).
        return Evidence(
            logit, best.cosine, best.coverage, best.mismatch,
            view.units[top.unit].text, top.entails, top.contradicts,
        )  # fmt: skip
    return best
