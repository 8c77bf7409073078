"""Turn an analysed answer and a prepared rubric into a Grade: coverage, red flags, exemplars, confidence."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from appliance.engine import Band, Grade, KeyPointResult
from appliance.grader._calibrate import Neighbours, neighbours, sigmoid
from appliance.grader._deference import deferring_sentences
from appliance.grader._feedback import compose
from appliance.grader._lexical import dice
from appliance.grader._match import (
    AnswerView,
    Entail,
    Evidence,
    match,
    projected,
    stances,
    unit_similarities,
)
from appliance.grader._params import ScoringParams
from appliance.grader._prepare import PreparedRubric, models
from appliance.grader._safety import Screening, copies_verbatim, keyword_list, novel_stems
from appliance.grader._tool_stance import deference_flags, override_points

_BELOW = 0.01  # a capped score sits this far under the pass threshold
RESTATES_ACTION = "restates the chosen action without saying why"
"""Review reason only when such an answer passes: a thin fail that restates the action is neither uncertain
nor suspicious, and its feedback already lists every missed point."""


@dataclass(frozen=True, slots=True)
class Assessment:
    """Every signal behind a grade (kept for the combined grader, the eval harness and debugging)."""

    key_points: tuple[tuple[str, Evidence, float], ...]
    """(id, evidence, probability met after exemplar calibration and neighbour votes)."""
    red_flags: tuple[tuple[str, Evidence, float], ...]
    coverage: float
    neighbours: Neighbours
    score: float
    notes: tuple[str, ...]
    reasons: tuple[str, ...]


def _sharpness(prepared: PreparedRubric, params: ScoringParams) -> float:
    """Credit is near 0/1 per key point so the score is the share of points met, as in the rubric; with a
    single key point that share can only be 0 or 1, so the score is its probability instead."""
    return params.credit_sharpness if len(prepared.key_points) > 1 else 1.0


def _credit(p: float, sharpness: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return sigmoid(sharpness * math.log(p / (1 - p)))


def _neighbours(prepared: PreparedRubric, view: AnswerView, params: ScoringParams) -> Neighbours:
    exemplars = prepared.exemplars
    if not exemplars:
        return neighbours([], [], [], [], kappa=params.knn_kappa, temperature=params.knn_temperature)
    sims = []
    for e in exemplars:
        lexical = dice(view.index.stems, e.view.index.stems)
        if view.vector is not None and e.view.vector is not None:
            sims.append(0.6 * float(view.vector @ e.view.vector) + 0.4 * lexical)
        else:
            sims.append(lexical)
    labelled = [e.met if e.labels_known else None for e in exemplars]
    return neighbours(
        sims,
        [e.score for e in exemplars],
        labelled,
        [c.id for c in prepared.key_points],
        kappa=params.knn_kappa,
        temperature=params.knn_temperature,
    )


def _coverage(
    prepared: PreparedRubric, view: AnswerView, params: ScoringParams, semantic: bool, entail: Entail | None
) -> float:
    model, _ = models(params, semantic, entail is not None)
    read = stances(prepared.key_points, view, entail, params.entail_candidates, params.entail_margin)
    total = sum(c.weight for c in prepared.key_points)
    credit = sum(
        c.weight
        * _credit(
            sigmoid(match(c, view, model, stance=read.get(c.id)).logit + c.shift),
            _sharpness(prepared, params),
        )
        for c in prepared.key_points
    )
    return credit / total


def _off_topic(prepared: PreparedRubric, view: AnswerView, params: ScoringParams) -> bool:
    stems = view.index.stems
    if len(stems) < 4:
        return False
    on_topic = sum(1 for s in stems if s in prepared.vocabulary) / len(stems)
    if on_topic >= 0.15:
        return False
    units = view.raw if view.raw is not None else view.vectors
    if prepared.topic_vectors is None or units is None:
        return True
    return float((prepared.topic_vectors @ units.T).max()) < params.off_topic_cosine


def assess(
    prepared: PreparedRubric,
    view: AnswerView,
    screening: Screening,
    params: ScoringParams,
    semantic: bool,
    entail: Entail | None = None,
) -> Assessment:
    """Score an analysed answer against a prepared rubric."""
    view = projected(view, prepared.question_vector)
    kp_model, rf_model = models(params, semantic, entail is not None)
    read = stances(
        prepared.key_points + prepared.red_flags, view, entail, params.entail_candidates, params.entail_margin
    )
    near = _neighbours(prepared, view, params)
    flags = []
    claimed = unit_similarities(prepared.key_points, view)
    for c in prepared.red_flags:
        evidence = match(c, view, rf_model, claimed, read.get(c.id))
        flags.append((c.id, evidence, sigmoid(evidence.logit + c.shift)))
    deferring = deferring_sentences(view.text, prepared.tool_names)
    flags, unattributed = deference_flags(prepared, view, flags, deferring, params)
    # A sentence that shows a red flag (unsafe reasoning, or the stated intention to do the unsafe thing) or
    # defers to the tool is not evidence of any key point.
    unsafe = {e.unit for _, e, p in flags if p >= 0.5 and e.unit}
    blocked = (
        np.array([u.text in unsafe or any(u.text in s for s, _ in deferring) for u in view.units], dtype=bool)
        if unsafe or deferring
        else None
    )
    kps = []
    for c in prepared.key_points:
        evidence = match(
            c, view, kp_model, stance=read.get(c.id), blocked=blocked,
            learned_offset=params.learned_wording_offset,
        )  # fmt: skip
        p = sigmoid(evidence.logit + c.shift)
        kps.append((c, evidence, p))
    kps = override_points(prepared, view, kps, blocked, params)
    total = sum(c.weight for c in prepared.key_points)
    # Exemplar neighbours vote on each point, except where the answer negates or contradicts it: a negated
    # near-copy of a graded exemplar is close to it in embedding space but says the opposite.
    voted = tuple(
        (c.id, e, p if e.mismatch else (1 - near.weight) * p + near.weight * near.met.get(c.id, p))
        for c, e, p in kps
    )
    coverage = (
        sum(
            c.weight * _credit(v[2], _sharpness(prepared, params))
            for c, v in zip(prepared.key_points, voted, strict=True)
        )
        / total
    )
    score = (1 - near.weight) * coverage + near.weight * near.score
    notes, reasons = list(_screen_notes(screening)), list(screening.reasons)
    threshold = prepared.rubric.pass_threshold
    if not view.empty and len(view.index.stems) <= 1:
        notes.append("too_short")
    if len(view.index.stems) >= 3 and len(novel_stems(view.text, [prepared.question])) <= 1:
        notes.append("copy")
        reasons.append("restates the question without reasoning")
        score = min(score, _coverage(prepared, prepared.sources, params, semantic, entail))
    elif len(view.index.stems) >= 3 and len(novel_stems(view.text, list(prepared.source_texts))) <= 1:
        notes.append("copy")
        reasons.append(RESTATES_ACTION)
    copied = [c for c in prepared.key_points if any(copies_verbatim(view.text, t.text) for t in c.targets)]
    everything = [t.text for c in prepared.key_points for t in c.targets]
    if (len(copied) >= 2 or len(copied) == len(prepared.key_points)) and len(
        novel_stems(view.text, everything)
    ) <= 2:
        reasons.append("repeats the rubric's key-point wording verbatim (leaked rubric?)")
        score = min(score, threshold)
    if keyword_list(view.text, prepared.vocabulary):
        notes.append("keywords")
        reasons.append("a list of the rubric's keywords rather than reasoning")
        score = min(score, threshold - _BELOW)
    if screening.gibberish or screening.other_language:
        score = min(score, threshold - _BELOW)
    if unattributed:
        notes.append("deference")
        reasons.append(
            f"possible automation bias (the tool's output given as the reason): '{unattributed[0]}'"
        )
    if _off_topic(prepared, view, params):
        notes.append("off_topic")
        reasons.append("off-topic: does not address this decision")
    return Assessment(
        voted, tuple(flags), coverage, near, max(0.0, min(1.0, score)), tuple(notes), tuple(reasons)
    )


def _screen_notes(screening: Screening) -> tuple[str, ...]:
    notes = []
    if screening.injection:
        notes.append("injection")
    if screening.other_language:
        notes.append("other_language")
    if screening.gibberish:
        notes.append("gibberish")
    return tuple(notes)


def pass_probability(
    key_points: list[tuple[float, float, bool]], red_flags: list[float], threshold: float
) -> float:
    """Probability that the rationale passes, treating each key point as met with its probability.

    ``key_points`` holds (probability, weight, critical). Passing needs every critical point, a weighted
    share of met points of at least ``threshold`` and no red flag. Exact over the 2^n met/missed patterns
    (n <= 12), a normal approximation beyond.
    """
    total = sum(w for _, w, _ in key_points) or 1.0
    clean = float(np.prod([1.0 - p for p in red_flags])) if red_flags else 1.0
    critical = float(np.prod([p for p, _, c in key_points if c])) if any(c for *_, c in key_points) else 1.0
    optional = [(p, w) for p, w, c in key_points if not c]
    need = threshold * total - sum(w for _, w, c in key_points if c) - 1e-9
    if len(optional) <= 12:
        reach = 0.0
        for pattern in itertools.product((0, 1), repeat=len(optional)):
            weight = sum(w for bit, (_, w) in zip(pattern, optional, strict=True) if bit)
            if weight >= need:
                reach += float(
                    np.prod([p if bit else 1 - p for bit, (p, _) in zip(pattern, optional, strict=True)])
                )
    else:
        mean = sum(p * w for p, w in optional)
        sd = max(1e-6, sum(p * (1 - p) * w * w for p, w in optional) ** 0.5)
        reach = 0.5 * (1 + math.erf((mean - need) / (sd * math.sqrt(2))))
    return max(0.0, min(1.0, critical * reach * clean))


def _confidence(a: Assessment, prepared: PreparedRubric, passed: bool) -> float:
    """The model's own probability that its pass/fail call is right (key-point probabilities are calibrated
    on the graded exemplars), lowered when the exemplar neighbours disagree with the key-point coverage, and
    capped at 0.3 for a pass of flagged input or any answer with an injection."""
    key_points = [
        (p, c.weight, c.critical) for c, (_, _, p) in zip(prepared.key_points, a.key_points, strict=True)
    ]
    p_pass = pass_probability(key_points, [p for _, _, p in a.red_flags], prepared.rubric.pass_threshold)
    confidence = p_pass if passed else 1.0 - p_pass
    confidence *= 1.0 - a.neighbours.weight * abs(a.coverage - a.neighbours.score) / 2
    # Odd input lowers trust in a *pass* (what a reviewer must confirm) and in anything an injection touched;
    # a fail of off-topic, copied or other-language text is as sure as the evidence says.
    if a.reasons and (passed or "injection" in a.notes):
        confidence = min(confidence, 0.3)
    return max(0.0, min(1.0, confidence))


def to_grade(
    prepared: PreparedRubric, a: Assessment, params: ScoringParams, model_id: str, version: str
) -> Grade:
    """Decide met/missed, red flags, pass, band, confidence and review, and write the feedback."""
    rubric = prepared.rubric
    threshold = rubric.pass_threshold
    results = []
    for c, (ident, evidence, p) in zip(prepared.key_points, a.key_points, strict=True):
        met = p >= 0.5
        similarity = evidence.cosine if evidence.cosine else evidence.coverage
        results.append(
            KeyPointResult(
                key_point_id=ident,
                met=met,
                critical=c.critical,
                evidence=evidence.unit if met else None,
                similarity=round(max(-1.0, min(1.0, similarity)), 4),
            )
        )
    hits = tuple(ident for ident, _, p in a.red_flags if p >= 0.5)
    missed_critical = any(r.critical and not r.met for r in results)
    score = a.score
    if hits or missed_critical:
        score = min(score, threshold - _BELOW)
    held = bool({"gibberish", "other_language", "keywords"} & set(a.notes))
    passed = score >= threshold and not hits and not missed_critical and not held
    if hits:
        band = Band.UNSAFE
    elif passed and score >= threshold + (1 - threshold) / 2:
        band = Band.STRONG
    elif passed:
        band = Band.ADEQUATE
    else:
        band = Band.INSUFFICIENT
    confidence = _confidence(a, prepared, passed)
    reasons = [r for r in a.reasons if passed or r != RESTATES_ACTION]
    reasons.extend(f"red flag: {c.label}" for c in prepared.red_flags if c.id in hits)
    reasons.extend(
        f"possible red flag: {c.label}"
        for c, (_, _, p) in zip(prepared.red_flags, a.red_flags, strict=True)
        if 0.25 <= p < 0.5
    )
    if not reasons and confidence < params.review_below:
        reasons.append(f"low confidence ({confidence:.2f}): borderline answer")
    feedback = compose(
        rubric,
        passed=passed,
        met=tuple(r.key_point_id for r in results if r.met),
        missed=tuple(r.key_point_id for r in results if not r.met),
        red_flags=hits,
        notes=a.notes,
    )
    return Grade(
        score=round(max(0.0, min(1.0, score)), 4),
        band=band,
        passed=passed,
        key_points=tuple(results),
        red_flags=hits,
        confidence=round(confidence, 4),
        needs_review=bool(reasons),
        review_reason="; ".join(reasons) or None,
        feedback=feedback,
        model_id=model_id,
        model_version=version,
    )


def empty_grade(prepared: PreparedRubric, screening: Screening, model_id: str, version: str) -> Grade:
    """Grade an answer with nothing left to score (empty, emoji only, or only text aimed at the grader)."""
    notes = _screen_notes(screening) or ("empty",)
    reasons = screening.reasons
    rubric = prepared.rubric
    return Grade(
        score=0.0,
        band=Band.INSUFFICIENT,
        passed=False,
        key_points=tuple(
            KeyPointResult(key_point_id=k.id, met=False, critical=k.critical) for k in rubric.key_points
        ),
        confidence=0.3 if reasons else 1.0,
        needs_review=bool(reasons),
        review_reason="; ".join(reasons) or None,
        feedback=compose(
            rubric,
            passed=False,
            met=(),
            missed=tuple(k.id for k in rubric.key_points),
            red_flags=(),
            notes=notes,
        ),
        model_id=model_id,
        model_version=version,
    )
