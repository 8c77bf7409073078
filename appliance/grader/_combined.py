"""Graders that use the LLM judge: alone (``GgufGrader``) or only where the ONNX grader is unsure."""

from __future__ import annotations

import logging
from typing import Literal

from appliance.engine import Band, Grade, KeyPointResult, Rubric
from appliance.grader._errors import JudgeOutputInvalid
from appliance.grader._feedback import compose
from appliance.grader._gguf import GgufJudge, Verdict
from appliance.grader._graders import BaseGrader, GraderInfo, RubricGrader
from appliance.grader._safety import screen

log = logging.getLogger(__name__)

UNSURE = (0.25, 0.75)
"""Key points whose ONNX probability falls in this range are handed to the LLM."""


def _band(score: float, threshold: float, passed: bool, unsafe: bool) -> Band:
    if unsafe:
        return Band.UNSAFE
    if passed and score >= threshold + (1 - threshold) / 2:
        return Band.STRONG
    return Band.ADEQUATE if passed else Band.INSUFFICIENT


def _weighted(rubric: Rubric, met: dict[str, bool]) -> float:
    return sum(kp.weight for kp in rubric.key_points if met.get(kp.id)) / rubric.total_weight


class GgufGrader(BaseGrader):
    """Every rationale judged by the LLM alone (for sites whose IT installed a capable instruct model)."""

    def __init__(self, judge: GgufJudge, workers: int | None = 1) -> None:
        super().__init__(workers)
        self.judge = judge

    def _grade_clean(self, question: str, text: str, rubric: Rubric, choice: str) -> Grade:
        screening = screen(text)
        verdict = self.judge.judge(question, choice, screening.scored_text, rubric)
        score = _weighted(rubric, verdict.met)
        missed_critical = any(kp.critical and not verdict.met[kp.id] for kp in rubric.key_points)
        passed = score >= rubric.pass_threshold and not missed_critical and not verdict.red_flags
        reasons = [*screening.reasons, *(f"red flag: {f}" for f in verdict.red_flags)]
        return Grade(
            score=round(score, 4),
            band=_band(score, rubric.pass_threshold, passed, bool(verdict.red_flags)),
            passed=passed,
            key_points=tuple(
                KeyPointResult(key_point_id=kp.id, met=verdict.met[kp.id], critical=kp.critical)
                for kp in rubric.key_points
            ),
            red_flags=verdict.red_flags,
            confidence=0.5,
            needs_review=bool(reasons),
            review_reason="; ".join(reasons) or None,
            feedback=verdict.feedback or _feedback(rubric, verdict, passed),
            model_id=self.judge.spec.name,
            model_version=self.judge.version,
        )

    def describe(self) -> GraderInfo:
        """Describe the backend, model and where it runs."""
        return GraderInfo("gguf", self.judge.spec.name, self.judge.version, self.judge.provider)


def _feedback(rubric: Rubric, verdict: Verdict, passed: bool) -> str:
    ids = [kp.id for kp in rubric.key_points]
    return compose(
        rubric,
        passed=passed,
        met=tuple(i for i in ids if verdict.met[i]),
        missed=tuple(i for i in ids if not verdict.met[i]),
        red_flags=verdict.red_flags,
    )


class CombinedGrader(BaseGrader):
    """ONNX first; the LLM settles the key points the ONNX grader is unsure of (or all, policy ``always``)."""

    def __init__(
        self,
        onnx: RubricGrader,
        judge: GgufJudge,
        policy: Literal["low-confidence", "always"] = "low-confidence",
        workers: int | None = None,
    ) -> None:
        super().__init__(workers)
        self.onnx = onnx
        self.judge = judge
        self.policy = policy

    def _grade_clean(self, question: str, text: str, rubric: Rubric, choice: str) -> Grade:
        grade, assessment = self.onnx.assess_text(question, text, rubric, choice)
        if assessment is None or "injection" in assessment.notes:
            return grade  # nothing to judge, or text aimed at a grader: never give an LLM the chance
        unsure = {ident for ident, _, p in assessment.key_points if UNSURE[0] <= p < UNSURE[1]}
        low = grade.confidence < self.onnx.params.review_below
        if self.policy == "low-confidence" and not (unsure or low):
            return grade
        try:
            verdict = self.judge.judge(question, choice, screen(text).scored_text, rubric)
        except JudgeOutputInvalid as err:
            log.warning("LLM judge failed, keeping the ONNX grade: %s", err)
            return grade.model_copy(update={"model_id": f"{grade.model_id}+judge-failed"})
        return self._merge(grade, verdict, unsure if self.policy == "low-confidence" else None, rubric)

    def _merge(self, grade: Grade, verdict: Verdict, unsure: set[str] | None, rubric: Rubric) -> Grade:
        met = {r.key_point_id: r.met for r in grade.key_points}
        for ident in unsure if unsure is not None else met:
            met[ident] = verdict.met[ident]
        agreement = sum(verdict.met[i] == r.met for i, r in zip(met, grade.key_points, strict=True)) / len(
            met
        )
        score = min(grade.score, _weighted(rubric, met)) if grade.red_flags else _weighted(rubric, met)
        missed_critical = any(kp.critical and not met[kp.id] for kp in rubric.key_points)
        passed = score >= rubric.pass_threshold and not missed_critical and not grade.red_flags
        llm_only = [f for f in verdict.red_flags if f not in grade.red_flags]
        reasons = [
            r for r in (grade.review_reason or "").split("; ") if r and not r.startswith("low confidence")
        ]
        reasons += [f"LLM judge suggests red flag: {f}" for f in llm_only]
        results = tuple(r.model_copy(update={"met": met[r.key_point_id]}) for r in grade.key_points)
        return grade.model_copy(
            update={
                "score": round(score, 4),
                "passed": passed,
                "band": _band(score, rubric.pass_threshold, passed, bool(grade.red_flags)),
                "key_points": results,
                "confidence": round(min(1.0, 0.5 * grade.confidence + 0.5 * agreement), 4),
                "needs_review": bool(reasons),
                "review_reason": "; ".join(reasons) or None,
                "feedback": _feedback(rubric, Verdict(met, grade.red_flags, "", ""), passed),
                "model_id": f"{grade.model_id}+{self.judge.spec.name}",
                "model_version": f"{grade.model_version}+{self.judge.version}",
            }
        )

    def describe(self) -> GraderInfo:
        """Describe both models."""
        base = self.onnx.describe()
        return GraderInfo(
            "combined", f"{base.model_id}+{self.judge.spec.name}", f"{base.model_version}+{self.judge.version}",
            f"{base.provider} + {self.judge.provider}", base.fallback_reason,
            f"ONNX first; LLM judge ({self.policy}) settles key points with p in {UNSURE}",
        )  # fmt: skip
