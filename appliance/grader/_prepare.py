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
from appliance.grader._text import content_stems


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


def _criteria(
    items: list[tuple[str, str, float, bool, tuple[str, ...]]],
    question_stems: frozenset[str],
    params: ScoringParams,
) -> list[tuple[str, str, float, bool, tuple[Target, ...]]]:
    out = []
    for ident, text, weight, critical, phrasings in items:
        targets = []
        for wording in dict.fromkeys((text, *phrasings)):
            t = terms(wording, question_stems, params.question_word_weight)
            targets.append(Target(wording, t))
        out.append((ident, text, weight, critical, tuple(targets)))
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
    sd = params.exemplar_prior_sd if red_flags or len(criteria) == 1 else params.exemplar_prior_sd / 2
    return tuple(replace(c, shift=fit_shift(*zip(*pairs[c.id], strict=True), sd, center)) for c in criteria)  # type: ignore[arg-type, call-arg]


def _exemplar_wordings(
    criteria: tuple[Criterion, ...], exemplars: tuple[ExemplarView, ...], embed: Embed | None,
    question_stems: frozenset[str], q: np.ndarray | None, params: ScoringParams,
) -> tuple[Criterion, ...]:  # fmt: skip
    """With a single key point (reference answers only), add every exemplar that meets it (and shows no red
    flag) as another wording: a learner who says what an educator-approved answer said is matched against it
    directly. With several key points a one-point exemplar is a thin answer, so nothing is added.
    """
    extra: dict[str, list[str]] = {}
    if len(criteria) != 1:  # with several points a one-point exemplar is a thin answer, not a wording
        return criteria
    for e in exemplars:
        if e.labels_known and len(e.met) == 1 and not e.red_flags and len(e.view.text.split()) <= 60:
            extra.setdefault(next(iter(e.met)), []).append(e.view.text)
    if not extra or embed is None:
        return criteria
    texts = [t for c in criteria for t in extra.get(c.id, ()) if t not in {x.text for x in c.targets}]
    if not texts:
        return criteria
    vectors = residual(embed(texts), q)
    lookup = dict(zip(texts, vectors, strict=True))
    out = []
    for c in criteria:
        new = [t for t in dict.fromkeys(extra.get(c.id, ())) if t in lookup]
        if not new or c.vectors is None:
            out.append(c)
            continue
        targets = c.targets + tuple(
            Target(t, terms(t, question_stems, params.question_word_weight)) for t in new
        )
        stacked = np.concatenate([c.vectors, np.stack([lookup[t] for t in new])], axis=0)
        out.append(replace(c, targets=targets, vectors=stacked))
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
    kp_raw = _criteria(kp_items, question_stems, params)
    rf_raw = _criteria(rf_items, frozenset(), params)
    wordings = [t.text for *_, targets in kp_raw + rf_raw for t in targets]
    asked = question.strip()
    raw = embed([*wordings, asked] if asked else wordings) if embed is not None else None
    q = raw[len(wordings)] * np.sqrt(params.question_projection) if raw is not None and asked else None
    vectors = residual(raw[: len(wordings)], q) if raw is not None else None
    built: list[Criterion] = []
    start = 0
    for ident, text, weight, critical, targets in kp_raw + rf_raw:
        block = vectors[start : start + len(targets)] if vectors is not None else None
        start += len(targets)
        built.append(Criterion(ident, text, weight, critical, targets, block))
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
    key_points = _exemplar_wordings(key_points, exemplars, embed, question_stems, q, params)
    topic = None
    if raw is not None:
        parts = [raw] + ([views[0].raw] if views[0].raw is not None else [])
        topic = np.concatenate(parts, axis=0)
    vocabulary = frozenset(
        s
        for text in (*wordings, question, choice, *(e.text for e in rubric.exemplars))
        for s in content_stems(text)
    )
    return PreparedRubric(
        rubric, key_points, red_flags, exemplars, views[0], source_texts, question, topic, vocabulary, q
    )


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
