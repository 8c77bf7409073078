"""Everything computed once per rubric: wordings and their embeddings, exemplars, fitted shifts; cached."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from appliance.engine import Exemplar, Rubric
from appliance.grader._calibrate import fit_shift
from appliance.grader._lexical import terms
from appliance.grader._match import (
    AnswerView,
    Criterion,
    Embed,
    Target,
    analyse,
    match,
    projected,
    residual,
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
) -> tuple[Criterion, ...]:
    """Shift each criterion's threshold to agree with the exemplars' labels, shrunk towards the default."""
    labelled = [e for e in exemplars if red_flags or e.labels_known]
    if not labelled:
        return criteria
    claims = {id(e): unit_similarities(key_points, e.view) if red_flags else None for e in labelled}
    pairs = {
        c.id: [
            (
                match(c, e.view, model, claims[id(e)]).logit,
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


def prepare(
    rubric: Rubric, question: str, choice: str, embed: Embed | None, params: ScoringParams
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
    kp_model = params.key_point if embed is not None else params.key_point_lexical
    rf_model = params.red_flag if embed is not None else params.red_flag_lexical
    key_points = _fit(key_points, exemplars, kp_model, params, red_flags=False)
    red_flags = _fit(red_flags, exemplars, rf_model, params, red_flags=True, key_points=key_points)
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
