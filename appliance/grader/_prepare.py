"""Everything computed once per rubric: wordings and their embeddings, exemplars, fitted shifts; cached."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from appliance.engine.rubrics import Exemplar, Rubric
from appliance.grader._calibrate import fit_shift
from appliance.grader._contrast import Contrast, split_contrast
from appliance.grader._deference import Kind, override_point, red_flag_kind, tool_names
from appliance.grader._lexical import terms
from appliance.grader._match import (
    AnswerView,
    Criterion,
    Embed,
    Entail,
    Target,
    analyse,
    match,
    projected,
    residual,
    stances,
    unit_similarities,
)
from appliance.grader._params import Logistic, ScoringParams
from appliance.grader._shorthand import expand
from appliance.grader._text import Unit, content_stems, has_negation


@dataclass(frozen=True, slots=True)
class ExemplarView:
    """A graded exemplar, analysed like an answer."""

    view: AnswerView
    score: float
    met: frozenset[str]
    red_flags: frozenset[str]
    labels_known: bool


@dataclass(frozen=True, slots=True)
class PreparedRubric:
    """A rubric ready for fast scoring: what stays the same for every answer to one decision and choice."""

    rubric: Rubric
    key_points: tuple[Criterion, ...]
    red_flags: tuple[Criterion, ...]
    exemplars: tuple[ExemplarView, ...]
    sources: AnswerView
    """The text the learner can see (prompt and chosen action): restating it earns nothing extra."""
    source_texts: tuple[str, ...]
    question: str
    topic_vectors: np.ndarray | None
    vocabulary: frozenset[str]
    question_vector: np.ndarray | None
    tool_names: frozenset[str] = frozenset()
    """Product names the question and rubric give the AI tool ("NeoSense"), for the deference check."""
    override_points: tuple[bool, ...] = ()
    """Per key point: is it about putting one's own judgement or checks above the tool?"""
    tool_flags: tuple[Kind | None, ...] = ()
    """Per red flag: the deference it is about ("trust" or "wait" for the tool), None when its wordings do not
    name the tool (a deferring sentence is evidence only of a red flag that does)."""


_Raw = tuple[str, str, float, bool, tuple[Target, ...], tuple[Target, ...]]


def _criteria(
    items: list[tuple[str, str, float, bool, tuple[str, ...]]],
    question_stems: frozenset[str],
    params: ScoringParams,
    *,
    contrasts: bool,
) -> list[_Raw]:
    """Turn rubric items into wordings; with ``contrasts`` (key points), "do X, not Y" wordings are matched
    by "do X" and keep "Y" as a contrary text (``_contrast.py``)."""
    out = []
    for ident, text, weight, critical, phrasings in items:
        targets: dict[str, Target] = {}
        contrary: dict[str, Target] = {}
        for wording in dict.fromkeys((text, *phrasings)):
            split = split_contrast(wording) if contrasts else Contrast(wording)
            targets.setdefault(
                split.affirmative,
                Target(
                    split.affirmative, terms(split.affirmative, question_stems, params.question_word_weight)
                ),
            )
            for ruled_out in split.contrary:
                contrary.setdefault(ruled_out, Target(ruled_out, terms(ruled_out, question_stems, 1.0)))
        out.append((ident, text, weight, critical, tuple(targets.values()), tuple(contrary.values())))
    return out


def _labels_known(exemplar: Exemplar, rubric: Rubric) -> bool:
    """An exemplar's ``met`` list is trusted unless it is empty on a passing exemplar (not filled in)."""
    return bool(exemplar.met) or exemplar.score < rubric.pass_threshold


def _fit(
    criteria: tuple[Criterion, ...],
    exemplars: tuple[ExemplarView, ...],
    model: Logistic,
    params: ScoringParams,
    *,
    red_flags: bool,
    key_points: tuple[Criterion, ...] = (),
    entail: Entail | None = None,
) -> tuple[Criterion, ...]:
    """Shift each criterion's threshold to agree with the exemplars' labels, shrunk towards the default."""
    if len(criteria) == 1 and not red_flags:
        # One key point (reference answers only): an exemplar's label *is* its answer's label, so exemplars
        # teach through the neighbour vote. A threshold fitted on five answers only added variance (science
        # development set: macro-F1 lift -0.02 with it, +0.02 without; docs/grading.md).
        return criteria
    labelled = [e for e in exemplars if red_flags or e.labels_known]
    if not labelled:
        return criteria
    claims = {id(e): unit_similarities(key_points, e.view) if red_flags else None for e in labelled}
    read = {
        id(e): stances(criteria, e.view, entail, params.entail_candidates, params.entail_margin)
        for e in labelled
    }
    pairs = {
        c.id: [
            (
                match(c, e.view, model, claims[id(e)], read[id(e)].get(c.id)).logit,
                float(c.id in (e.red_flags if red_flags else e.met)),
            )
            for e in labelled
        ]
        for c in criteria
    }
    everything = [p for ps in pairs.values() for p in ps]
    center = 0.0 if red_flags else fit_shift(*zip(*everything, strict=True), params.exemplar_prior_sd)  # type: ignore[arg-type, call-arg]
    sd = params.red_flag_prior_sd if red_flags else params.exemplar_prior_sd / 2
    return tuple(replace(c, shift=fit_shift(*zip(*pairs[c.id], strict=True), sd, center)) for c in criteria)  # type: ignore[arg-type, call-arg]


_LEARNABLE_STEMS = 3


def _learnable(unit: Unit) -> bool:
    """A sentence or clause that says something by itself: three content words or more, and no negation."""
    return (
        unit.kind != "whole"
        and len(content_stems(unit.text)) >= _LEARNABLE_STEMS
        and not has_negation(unit.text)
    )


def _taught(
    criteria: tuple[Criterion, ...],
    exemplars: tuple[ExemplarView, ...],
    labels: Callable[[ExemplarView], frozenset[str]],
    question_stems: frozenset[str],
    params: ScoringParams,
) -> tuple[Criterion, ...]:
    """Learn wordings from graded exemplars: for each key point an exemplar is labelled as meeting, the
    exemplar's sentence or clause closest to that point becomes another wording of it, when that point is
    also the closest to the sentence among the points the exemplar is labelled with (a mutual best match under
    the educator's labels, so a sentence that says another labelled point is not learned as this one). So an educator's label teaches the grader
    how learners on this ward say the point ("stop her now" for *stops the disclosure straight away*), and
    the next answer that says it the same way is matched directly. Only affirmative, unhedged units of three
    content words or more are learned (a negated sentence as a wording would turn the polarity check around),
    flagged ``learned`` (they need a nearer paraphrase). Two or more key points: one learns whole exemplars.
    Red flags learn nothing this way: an unsafe exemplar's closest sentence is often a true fact it misuses
    ("the alert is probably a false alarm"), and a false red flag fails a strong answer.
    """
    if len(criteria) < 2 or any(c.vectors is None for c in criteria):
        return criteria
    learned: dict[str, list[tuple[str, np.ndarray]]] = {}
    for e in exemplars:
        vectors = e.view.vectors
        named = labels(e)
        if vectors is None or not named:
            continue
        learnable = [_learnable(u) for u in e.view.units]
        usable = np.array(learnable, dtype=bool) & ~e.view.hedged
        if not usable.any():
            continue
        met = [c for c in criteria if c.id in named and c.vectors is not None]
        sims = np.stack([(c.vectors @ vectors.T).max(axis=0) for c in met if c.vectors is not None])
        for row, c in enumerate(met):
            unit = int(np.argmax(np.where(usable, sims[row], -np.inf)))
            if usable[unit] and int(np.argmax(sims[:, unit])) == row:  # mutual best among the labelled points
                learned.setdefault(c.id, []).append((expand(e.view.units[unit].text), vectors[unit]))
    out = []
    for c in criteria:
        known = {t.text for t in c.targets}
        new = [(t, v) for t, v in dict((t, v) for t, v in learned.get(c.id, ())).items() if t not in known]
        if not new or c.vectors is None:
            out.append(c)
            continue
        targets = c.targets + tuple(
            Target(t, terms(t, question_stems, params.question_word_weight), learned=True) for t, _ in new
        )
        out.append(
            replace(c, targets=targets, vectors=np.concatenate([c.vectors, np.stack([v for _, v in new])]))
        )
    return tuple(out)


def prepare(
    rubric: Rubric,
    question: str,
    choice: str,
    embed: Embed | None,
    params: ScoringParams,
    entail: Entail | None = None,
) -> PreparedRubric:
    """Analyse a rubric once: embed every wording, analyse exemplars and fit thresholds to them."""
    question_stems = frozenset(content_stems(question))
    kp_items = [(k.id, k.text, k.weight, k.critical, k.phrasings) for k in rubric.key_points]
    rf_items = [(r.id, r.text, 1.0, False, r.phrasings) for r in rubric.red_flags]
    kp_raw = _criteria(kp_items, question_stems, params, contrasts=True)
    rf_raw = _criteria(rf_items, frozenset(), params, contrasts=False)
    wordings = [t.text for *_, targets, contrary in kp_raw + rf_raw for t in (*targets, *contrary)]
    asked = question.strip()
    raw = embed([*wordings, asked] if asked else wordings) if embed is not None else None
    q = raw[len(wordings)] * np.sqrt(params.question_projection) if raw is not None and asked else None
    vectors = residual(raw[: len(wordings)], q) if raw is not None else None
    built: list[Criterion] = []
    start = 0
    for ident, text, weight, critical, targets, contrary in kp_raw + rf_raw:
        block = vectors[start : start + len(targets)] if vectors is not None else None
        start += len(targets)
        against = vectors[start : start + len(contrary)] if vectors is not None and contrary else None
        start += len(contrary)
        built.append(
            Criterion(
                ident, text, weight, critical, targets, block, contrary=contrary, contrary_vectors=against
            )
        )
    key_points, red_flags = tuple(built[: len(kp_raw)]), tuple(built[len(kp_raw) :])
    source_texts = tuple(t for t in (question, choice) if t.strip())
    views = [
        projected(v, q) for v in analyse([" ".join(source_texts), *(e.text for e in rubric.exemplars)], embed)
    ]
    exemplars = tuple(
        ExemplarView(v, e.score, frozenset(e.met), frozenset(e.red_flags), _labels_known(e, rubric))
        for v, e in zip(views[1:], rubric.exemplars, strict=True)
    )
    kp_model, rf_model = models(params, embed is not None, entail is not None)
    key_points = _fit(key_points, exemplars, kp_model, params, red_flags=False, entail=entail)
    red_flags = _fit(
        red_flags, exemplars, rf_model, params, red_flags=True, key_points=key_points, entail=entail
    )
    key_points = _taught(
        key_points, exemplars, lambda e: e.met if e.labels_known else frozenset(), question_stems, params
    )
    topic = None
    if raw is not None:
        parts = [raw] + ([views[0].raw] if views[0].raw is not None else [])
        topic = np.concatenate(parts, axis=0)
    vocabulary = frozenset(
        s
        for text in (*wordings, question, choice, *(e.text for e in rubric.exemplars))
        for s in content_stems(text)
    )
    names = tool_names((question, *wordings))
    tool_flags = tuple(red_flag_kind((t.text for t in c.targets), names) for c in red_flags)
    overrides = tuple(override_point((t.text for t in c.targets if not t.learned), names) for c in key_points)
    return PreparedRubric(
        rubric, key_points, red_flags, exemplars, views[0], source_texts, question, topic, vocabulary, q,
        names, overrides, tool_flags,
    )  # fmt: skip


def models(params: ScoringParams, semantic: bool, entail: bool) -> tuple[Logistic, Logistic]:
    """Return the (key point, red flag) evidence models for the loaded backends."""
    if not semantic:
        return params.key_point_lexical, params.red_flag_lexical
    if entail:
        return params.key_point_entail, params.red_flag_entail
    return params.key_point, params.red_flag


class RubricCache:
    """A small thread-safe LRU of prepared rubrics keyed by rubric content, question and choice."""

    def __init__(self, build: Callable[[Rubric, str, str], PreparedRubric], size: int = 256) -> None:
        self._build = build
        self._size = size
        self._items: OrderedDict[str, PreparedRubric] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(rubric: Rubric, question: str, choice: str) -> str:
        """Return the cache key: a hash of the rubric's JSON, the question and the choice."""
        payload = "\x1f".join((rubric.model_dump_json(), question, choice))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def get(self, rubric: Rubric, question: str, choice: str) -> PreparedRubric:
        """Return the prepared rubric, building it on first use."""
        key = self.key(rubric, question, choice)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        prepared = self._build(rubric, question, choice)
        with self._lock:
            self._items[key] = prepared
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return prepared

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
