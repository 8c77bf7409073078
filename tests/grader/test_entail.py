"""The key-point entailment model: its training corpus, build cache key, runtime, and the negation suite."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from appliance.engine import DecisionNode, load_document
from appliance.engine.documents import scenarios_in
from appliance.grader import OnnxGrader
from appliance.grader._calibrate import fit_logistic
from appliance.grader._corpus import CONTRADICTS, ENTAILS, NEUTRAL, TOPICS, corpus_sha256, pairs
from appliance.grader._train import Recipe, cache_key
from appliance.grader.models import build_models
from tests.grader.conftest import ROOT

EVAL = ROOT / "data" / "eval"


def _decision(file: str, ident: str) -> DecisionNode:
    for scenario in scenarios_in(load_document(ROOT / file)):
        for node in scenario.nodes:
            if isinstance(node, DecisionNode) and node.id == ident:
                return node
    raise KeyError(ident)


def test_corpus_is_seeded_balanced_and_shares_no_text_with_the_evaluation_sets() -> None:
    first, again = pairs(13), pairs(13)
    assert first == again and corpus_sha256(first) == corpus_sha256(again)
    counts = Counter(label for *_, label in first)
    assert all(counts[label] >= 0.15 * len(first) for label in (ENTAILS, CONTRADICTS, NEUTRAL))
    statements = {s.lower().strip(" .") for _, s, _ in first} | {p.lower().strip(" .") for p, _, _ in first}
    evaluated = [json.loads(line) for name in ("demo_rationales.jsonl", "blind_rationales.jsonl")
                 for line in (EVAL / name).read_text().splitlines()]  # fmt: skip
    suite = [json.loads(line) for line in (EVAL / "negation_suite.jsonl").read_text().splitlines()]
    leaked = [t for t in [r["student_answer"] for r in evaluated] + [p["statement"] for p in suite]
              if t.lower().strip(" .") in statements]  # fmt: skip
    assert not leaked


def test_corpus_v2_spans_wards_digital_tools_and_science_and_every_concept_is_usable() -> None:
    assert len(TOPICS) >= 55
    assert sum(t.startswith("science-") for t in TOPICS) >= 12
    for topic, concepts in TOPICS.items():
        for concept in concepts:
            assert concept["kp"] and (concept.get("do") or concept.get("say")), topic
            assert concept.get("deny"), (topic, concept["kp"][0])
    premises = {p for p, _, _ in pairs(13)}
    assert all(c["kp"][0] in premises for cs in TOPICS.values() for c in cs)


def test_cache_key_follows_the_recipe_and_the_weights() -> None:
    source = {"model.safetensors": "a" * 64}
    key = cache_key(Recipe(), source)
    assert key == cache_key(Recipe(), source)
    assert key != cache_key(replace(Recipe(), epochs=1), source)
    assert key != cache_key(Recipe(), {"model.safetensors": "b" * 64})


def test_calibration_fit_converges_on_separable_data() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5000, 3))
    y = (x[:, 0] + x[:, 1] > 0).astype(float)  # perfectly separable: plain Newton diverges here
    beta = fit_logistic(x, y, np.array([-6.0, 12.0, 5.6, -10.0]), np.array([4.0, 6.0, 4.0, 4.0]))
    assert np.all(np.isfinite(beta)) and np.abs(beta).max() < 200


def test_entailment_probabilities_are_distributions(entail_grader: OnnxGrader) -> None:
    assert entail_grader.has_entailment
    probs = entail_grader._entail([("Calls the registrar now", "bleep the reg for r/v now"),  # type: ignore[misc]
                                 ("Calls the registrar now", "I won't call the reg yet")])  # fmt: skip
    assert probs.shape == (2, 3) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)
    assert probs[0, ENTAILS] > probs[1, ENTAILS]


def test_negation_suite_hedges_earn_no_tick_and_the_rest_does_not_regress(onnx_grader: OnnxGrader) -> None:
    """The bar is zero ticks on all 105 pairs; it is met for hedges only. Measured: 19 of 105 ticked (31 before
    issue 10's work; learned key-point wordings added two, the automation-bias check took two away, polarity
    against the wording that shares the words and negation scope over "or" took three), all of them
    contradictions, stated intentions and negations the embeddings cannot tell apart (docs/grading.md).
    This guards the measured figure until a better model meets the bar."""
    suite = [json.loads(line) for line in (EVAL / "negation_suite.jsonl").read_text().splitlines()]
    assert len(suite) >= 100
    ticked: Counter[str] = Counter()
    for pair in suite:
        node = _decision(pair["file"], pair["decision"])
        assert node.rubric is not None
        grade = onnx_grader.grade_text(node.prompt, pair["statement"], node.rubric, node.choices[0].label)
        if pair["key_point"] in grade.met_ids:
            ticked[pair["kind"]] += 1
    assert ticked["hedge"] == 0
    assert sum(ticked.values()) <= 19, ticked


def test_a_plain_build_skips_the_optional_entailment_model(tmp_path: Path) -> None:
    (tmp_path / "minilm-entail-int8.json").write_text(
        (ROOT / "models" / "minilm-entail-int8.json").read_text()
    )
    (outcome,) = build_models(tmp_path)
    assert outcome.record is None and (outcome.skipped or "").startswith("optional")
    assert not list(tmp_path.glob("build/**/*.onnx"))
