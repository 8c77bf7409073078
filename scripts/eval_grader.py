"""Evaluate the rationale grader on labelled short answers (JSONL); the last line printed is one JSON object.

Each record: ``question_id``, ``question``, ``reference_answers`` (list), ``student_answer`` and either
``label`` ("correct"/"incorrect") or ``score`` with ``score_max``. Records may instead point at a real rubric
with ``file`` + ``decision`` (+ ``choice``), or ``scenario_file`` + ``decision_id`` (+ ``choice_id``) as the
project's demo set does; optional ``category``, ``met`` and
``red_flags`` give per-category and per-key-point agreement.

Example:
    .venv/bin/python scripts/eval_grader.py data/eval/demo_rationales.jsonl
    .venv/bin/python scripts/eval_grader.py test.jsonl --exemplars train.jsonl --k 5 --seed 1
    .venv/bin/python scripts/eval_grader.py test.jsonl --calibrate train.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator, model_validator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from eval_report import evaluate, print_report  # noqa: E402

from appliance.config import load_settings  # noqa: E402
from appliance.engine import DecisionNode, Rubric, load_document  # noqa: E402
from appliance.engine.documents import scenarios_in  # noqa: E402
from appliance.engine.rubrics import Exemplar, KeyPoint  # noqa: E402
from appliance.grader import LexicalGrader, RationaleRejected  # noqa: E402
from appliance.grader.backends import Logistic, RubricGrader, ScoringParams, load_onnx  # noqa: E402
from appliance.grader.evaluation import check_limits, fit_logistic, macro_f1  # noqa: E402


class Record(BaseModel):
    """One labelled answer."""

    model_config = ConfigDict(extra="allow", frozen=True)

    question_id: str
    question: str = ""
    reference_answers: tuple[str, ...] = ()
    student_answer: str
    label: str | None = None
    score: float | None = None
    score_max: float | None = None
    category: str | None = None
    met: tuple[str, ...] | None = None
    red_flags: tuple[str, ...] | None = None
    file: str | None = Field(default=None, validation_alias=AliasChoices("file", "scenario_file"))
    decision: str | None = Field(default=None, validation_alias=AliasChoices("decision", "decision_id"))
    choice: str | None = Field(default=None, validation_alias=AliasChoices("choice", "choice_id"))

    @field_validator("question_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> str:
        return str(value)

    @field_validator("reference_answers", mode="before")
    @classmethod
    def _one_reference(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("label", mode="before")
    @classmethod
    def _label_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _has_target(self) -> Record:
        if self.label is None and self.score is None:
            raise ValueError("a record needs a label or a score")
        if self.label is not None and self.label not in ("correct", "incorrect"):
            raise ValueError(f"label must be 'correct' or 'incorrect', not {self.label!r}")
        if not self.reference_answers and not (self.file and self.decision):
            raise ValueError("a record needs reference_answers, or file + decision naming a rubric")
        return self

    @property
    def target(self) -> float:
        """Gold score in 0..1."""
        if self.score is not None:
            return self.score / (self.score_max or 1.0)
        return 1.0 if self.label == "correct" else 0.0

    @property
    def gold(self) -> str:
        """Gold binary label."""
        return self.label or ("correct" if self.target >= 0.5 else "incorrect")


@dataclass
class Task:
    """What one question is graded against."""

    question: str
    choice: str
    rubric: Rubric
    exemplar_texts: set[str] = field(default_factory=set)


def read_records(path: Path) -> list[Record]:
    """Read a JSONL file of records (blank lines skipped); errors name the line."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(Record.model_validate_json(line))
            except ValueError as err:
                raise SystemExit(f"{path}:{number}: {err}") from err
    if any(r.score is not None and r.score_max is None for r in records):
        top = max(r.score for r in records if r.score is not None) or 1.0
        print(f"{path}: some records have a score but no score_max; using the file's highest score, {top:g}")
        records = [r.model_copy(update={"score_max": r.score_max or top}) for r in records]
    return records


def _decision(file: str, decision_id: str) -> DecisionNode:
    path = Path(file) if Path(file).is_absolute() or Path(file).exists() else ROOT / file
    for scenario in scenarios_in(load_document(path)):
        for node in scenario.nodes:
            if isinstance(node, DecisionNode) and node.id == decision_id and node.rubric:
                return node
    raise SystemExit(f"{file}: no decision {decision_id!r} with a rubric")


def _reference_rubric(record: Record) -> Rubric:
    references = list(dict.fromkeys(r.strip() for r in record.reference_answers if r.strip()))
    texts = [r if len(r) >= 3 else f"{record.question} {r}".strip() for r in references]
    point = KeyPoint(id="reference", text=texts[0], phrasings=tuple(texts[1:]))
    return Rubric(key_points=(point,), pass_threshold=0.5)


def _as_exemplar(record: Record, rubric: Rubric) -> Exemplar:
    ids = {kp.id for kp in rubric.key_points}
    if record.met is not None:
        met = tuple(m for m in record.met if m in ids)
    else:
        met = tuple(ids) if record.target >= rubric.pass_threshold else ()
    flags = tuple(f for f in record.red_flags or () if f in {rf.id for rf in rubric.red_flags})
    return Exemplar(text=record.student_answer, score=record.target, met=met, red_flags=flags)


def build_tasks(records: Iterable[Record], pool: list[Record], k: int, seed: int) -> dict[str, Task]:
    """Build one task per question: its rubric, plus ``k`` exemplars per question drawn from ``pool``."""
    tasks: dict[str, Task] = {}
    for record in records:
        if record.question_id in tasks:
            continue
        if record.file and record.decision:
            node = _decision(record.file, record.decision)
            assert node.rubric is not None
            choice = node.choice(record.choice).label if record.choice else ""
            tasks[record.question_id] = Task(node.prompt, choice, node.rubric)
        else:
            tasks[record.question_id] = Task(record.question, "", _reference_rubric(record))
    by_question: dict[str, list[Record]] = defaultdict(list)
    for record in pool:
        by_question[record.question_id].append(record)
    rng = random.Random(seed)
    for qid, task in tasks.items():
        candidates = sorted(by_question.get(qid, []), key=lambda r: r.student_answer)
        chosen = rng.sample(candidates, min(k, len(candidates))) if k else []
        if chosen:
            extra = tuple(_as_exemplar(r, task.rubric) for r in chosen)
            task.rubric = task.rubric.model_copy(update={"exemplars": task.rubric.exemplars + extra})
            task.exemplar_texts = {r.student_answer for r in chosen}
    return tasks


def _features(grader: RubricGrader, records: list[Record]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Key-point evidence of each record's first key point (reference rubrics): features, labels, groups."""
    tasks = build_tasks(records, [], 0, 0)
    rows, labels, groups = [], [], []
    for record in records:
        task = tasks[record.question_id]
        try:
            text = check_limits(record.student_answer)
        except RationaleRejected:
            continue
        _, assessment = grader.assess_text(task.question, text, task.rubric, task.choice)
        if assessment is None:
            continue
        for _, evidence, _ in assessment.key_points[:1]:
            entail = float(np.log(max(evidence.entails, 1e-4) / max(1 - evidence.entails, 1e-4)))
            rows.append([evidence.cosine, evidence.coverage, float(evidence.mismatch), entail])
            labels.append(record.target)
            groups.append(record.question_id)
    return np.array(rows), np.array(labels), groups


def _macro_f1(model: Logistic, x: np.ndarray, y: np.ndarray) -> float:
    z = np.array([model.logit(*row) for row in x])
    gold = ["correct" if v >= 0.5 else "incorrect" for v in y]
    pred = ["correct" if v >= 0 else "incorrect" for v in z]
    return macro_f1(np.asarray(gold), np.asarray(pred), ["correct", "incorrect"])


def _folds(groups: list[str], seed: int, k: int = 5) -> np.ndarray:
    """Fold number per answer: whole questions per fold (seeded), or answers when there are under k questions."""
    names = sorted(set(groups))
    rng = random.Random(seed)
    if len(names) >= k:
        rng.shuffle(names)
        of = {name: n % k for n, name in enumerate(names)}
        return np.array([of[g] for g in groups])
    return np.array([rng.randrange(k) for _ in groups])


def calibrate(grader: RubricGrader, records: list[Record], seed: int) -> ScoringParams:
    """Refit the global key-point model on a calibration file (reference rubrics, no exemplars).

    A MAP logistic fit around the defaults, checked by cross-validation: the file's questions are split into
    up to five folds, each fold's answers are predicted by a fit on the other folds, and the refit is kept
    only when those held-out predictions beat the defaults (macro-F1 of the pass decision over every answer),
    then refitted on the whole file. Otherwise the defaults stay, with a message. (Every answer takes part in
    the check, so a lucky or unlucky 20% split cannot decide it.)
    """
    params = grader.params
    semantic = grader.describe().backend == "onnx"
    entail = grader.has_entailment
    field = "key_point_entail" if entail else "key_point" if semantic else "key_point_lexical"
    prior: Logistic = getattr(params, field)
    x, y, groups = _features(grader, records)
    if len(x) < 20:
        print(f"calibration: only {len(x)} usable answers; keeping the defaults")
        return params
    if not entail:
        x = x.copy()
        x[:, 3] = 0.0
    mean = np.array([prior.bias, prior.sem, prior.lex, prior.neg, prior.ent])
    sd = np.array([3.0, 6.0, 4.0, 4.0, 2.0 if entail else 1e-3])
    folds = _folds(groups, seed)
    held_out = np.zeros(len(y))
    for fold in range(max(folds) + 1):
        test = folds == fold
        fitted = Logistic(*(float(b) for b in fit_logistic(x[~test], y[~test], mean, sd)))
        held_out[test] = [fitted.logit(*row) for row in x[test]]
    gold = np.array(["correct" if v >= 0.5 else "incorrect" for v in y])
    pred = np.array(["correct" if v >= 0 else "incorrect" for v in held_out])
    before = _macro_f1(prior, x, y)
    after = macro_f1(gold, pred, ["correct", "incorrect"])
    print(
        f"calibration check, {max(folds) + 1}-fold by question ({len(y)} answers, each predicted by a fit that "
        f"did not see its question): default macro-F1 {before:.3f}, refit {after:.3f}"
    )
    if after <= before:
        print(f"calibration rejected: the refit {fitted} does not beat the defaults on held-out data")
        return params
    final = Logistic(*(float(b) for b in fit_logistic(x, y, mean, sd)))
    print(f"calibrated key-point model on {len(x)} answers: {final}")
    return replace(params, **{field: final})


def make_grader(backend: str, params: ScoringParams | None, *, entailment: bool = False) -> RubricGrader:
    """Load the grader to evaluate (the appliance's own ONNX grader, or the lexical fallback)."""
    if backend == "lexical":
        return LexicalGrader(params=params)
    return load_onnx(load_settings(accelerator="cpu"), params, entailment=entailment)


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print the report; the last line is a JSON summary."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", type=Path, help="JSONL file of labelled answers to evaluate")
    parser.add_argument("--calibrate", type=Path, help="JSONL used only to refit global constants")
    parser.add_argument("--exemplars", type=Path, help="JSONL of labelled answers to use as graded exemplars")
    parser.add_argument("--k", type=int, default=0, help="exemplars per question_id drawn from --exemplars")
    parser.add_argument("--seed", type=int, default=0, help="seed for exemplar sampling and the bootstrap")
    parser.add_argument("--backend", choices=["onnx", "lexical"], default="onnx")
    parser.add_argument("--predictions", type=Path, help="write one JSON line per graded answer here")
    parser.add_argument(
        "--entailment", action="store_true", help="also load the optional key-point entailment model"
    )
    parser.add_argument(
        "--lift",
        action="store_true",
        help="with --exemplars: also grade the same answers without the drawn exemplars and print the lift",
    )
    args = parser.parse_args(argv)
    records = read_records(args.data)
    params = None
    if args.calibrate:
        params = calibrate(
            make_grader(args.backend, None, entailment=args.entailment),
            read_records(args.calibrate),
            args.seed,
        )
    grader = make_grader(args.backend, params, entailment=args.entailment)
    pool = read_records(args.exemplars) if args.exemplars else []
    tasks = build_tasks(records, pool, args.k if args.exemplars else 0, args.seed)
    evaluated = [r for r in records if r.student_answer not in tasks[r.question_id].exemplar_texts]
    summary = evaluate(grader, evaluated, tasks, seed=args.seed, predictions=args.predictions)
    summary["excluded_as_exemplars"] = len(records) - len(evaluated)
    print_report(summary)
    if args.lift and args.exemplars:
        plain = evaluate(
            grader, evaluated, build_tasks(records, [], 0, args.seed), seed=args.seed, predictions=None
        )
        before, after = plain["headline"], summary["headline"]
        summary["headline"]["lift"] = {
            key: round(after[key] - before[key], 4)
            for key in ("accuracy", "macro_f1", "correct_pass_rate", "false_pass_rate")
        }
        print(
            f"exemplar lift on the same {len(evaluated)} answers: macro-F1 {before['macro_f1']:.4f} -> "
            f"{after['macro_f1']:.4f}, accuracy {before['accuracy']:.4f} -> {after['accuracy']:.4f}"
        )
    print(json.dumps(summary["headline"], sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
