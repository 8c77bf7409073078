"""Match one rubric criterion (a key point or red flag, with its phrasings) against an analysed answer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from appliance.grader._lexical import (
    StemIndex,
    Terms,
    antonym_flips,
    coverage,
    negation_mismatch,
    overlap_count,
)
from appliance.grader._params import Logistic
from appliance.grader._text import Unit, clauses, content_stems, sentences, units

Embed = Callable[[Sequence[str]], np.ndarray]
RED_FLAG_MARGIN = 0.05
"""A unit counts towards a red flag only if it matches it this much better than any key point: a red flag
fails the rationale outright, so near-ties go to the key point (benefit of the doubt)."""


@dataclass(frozen=True, slots=True)
class Target:
    """One wording of a criterion: the rubric text or one of its phrasings."""

    text: str
    terms: Terms


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


@dataclass(frozen=True, slots=True)
class Evidence:
    """The best match of one criterion in an answer."""

    logit: float
    cosine: float
    coverage: float
    mismatch: bool
    unit: str | None


def analyse(texts: Sequence[str], embed: Embed | None) -> list[AnswerView]:
    """Cut each text into units and embed all units of all texts in one call."""
    per_text = [units(t) for t in texts]
    flat = [u.text for us in per_text for u in us]
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
    return AnswerView(text, us, vectors, StemIndex(content_stems(text)), answer_vector)


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


def _lexical_unit(view: AnswerView, target: Terms) -> str | None:
    best, best_count = None, 0
    for sentence in sentences(view.text):
        count = overlap_count(sentence, target)
        if count > best_count:
            best, best_count = sentence, count
    return best


def unit_similarities(criteria: Sequence[Criterion], view: AnswerView) -> np.ndarray | None:
    """Return, per answer unit, its best cosine to any wording of the given criteria (None if lexical)."""
    if view.vectors is None or not criteria or any(c.vectors is None for c in criteria):
        return None
    stacked = np.concatenate([c.vectors for c in criteria if c.vectors is not None], axis=0)
    return (stacked @ view.vectors.T).max(axis=0)


def match(
    criterion: Criterion, view: AnswerView, model: Logistic, claimed: np.ndarray | None = None
) -> Evidence:
    """Return the best evidence for the criterion over its wordings and the answer's units.

    With ``claimed`` (each unit's best similarity to the key points) this is a red-flag match: a unit that
    says a key point nearly as well as the red flag is not evidence of it, and word coverage is counted
    in the evidence unit only (a red flag is one statement, not words scattered over the answer).
    """
    if view.empty:
        return Evidence(model.logit(0.0, 0.0, 0.0), 0.0, 0.0, False, None)
    sims = None
    if criterion.vectors is not None and view.vectors is not None:
        sims = criterion.vectors @ view.vectors.T
        if claimed is not None:
            sims = np.where(sims > claimed[None, :] + RED_FLAG_MARGIN, sims, -1.0)
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
            clause = _polarity_unit(unit, target.terms)
            negation = negation_mismatch(clause, target.text, target.terms)
            if negation is None:
                negation = bool(negation_mismatch(view.text, target.text, target.terms))
            mismatch = negation != (antonym_flips(clause, target.terms) % 2 == 1)
        logit = model.logit(cosine, cov, float(mismatch))
        if best is None or logit > best.logit:
            best = Evidence(logit, cosine, cov, mismatch, unit)
    assert best is not None
    return best
