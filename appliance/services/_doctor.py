"""The rubric doctor: check a rubric with the real grader before learners meet it.

- Each exemplar is graded (leave-one-out: against the rubric without that exemplar, so it cannot simply
  match itself) and compared with the educator's label: pass/fail and which key points it meets.
- Two key points the grader cannot tell apart (each one's text meets the other), a red flag whose text
  meets a key point, and a key point no exemplar is labelled as meeting are reported as warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

from appliance.engine import DecisionNode, Rubric
from appliance.grader import BaseGrader, GraderError
from appliance.services._edits import rebuild


@dataclass(frozen=True)
class ExemplarCheck:
    """The grader's view of one exemplar next to the educator's label."""

    index: int
    label_passed: bool
    grader_passed: bool
    grader_score: float
    missed: tuple[str, ...]
    extra: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        """True when the grader agrees with the label on pass/fail and on the key points met."""
        return self.label_passed == self.grader_passed and not self.missed and not self.extra


@dataclass(frozen=True)
class DoctorReport:
    """Exemplar checks and warnings for one decision's rubric."""

    exemplars: tuple[ExemplarCheck, ...]
    warnings: tuple[str, ...]


def _meets(grader: BaseGrader, question: str, text: str, rubric: Rubric, key_point_id: str) -> bool:
    single = rebuild(rubric, key_points=(rubric.key_point(key_point_id),), red_flags=(), exemplars=())
    grade = grader.grade_text(question, text, single)
    return any(kp.met for kp in grade.key_points)


def examine(grader: BaseGrader, node: DecisionNode) -> DoctorReport:
    """Grade the rubric's exemplars and look for key points and red flags the grader would confuse.

    Blocking (one grade per exemplar, two per pair of key points): call it off the event loop.
    """
    rubric = node.rubric
    if rubric is None:
        return DoctorReport((), ("This decision has no rubric.",))
    question = node.prompt
    checks = []
    warnings: list[str] = []
    for i, exemplar in enumerate(rubric.exemplars):
        others = rebuild(rubric, exemplars=tuple(e for j, e in enumerate(rubric.exemplars) if j != i))
        try:
            grade = grader.grade_text(question, exemplar.text, others)
        except GraderError as err:
            warnings.append(f"Exemplar {i + 1} could not be graded: {err}")
            continue
        met = set(grade.met_ids)
        checks.append(
            ExemplarCheck(
                index=i,
                label_passed=exemplar.score >= rubric.pass_threshold,
                grader_passed=grade.passed,
                grader_score=grade.score,
                missed=tuple(k for k in exemplar.met if k not in met),
                extra=tuple(sorted(met - set(exemplar.met))),
            )
        )
    points = rubric.key_points
    for a_i, a in enumerate(points):
        for b in points[a_i + 1 :]:
            if _meets(grader, question, a.text, rubric, b.id) and _meets(
                grader, question, b.text, rubric, a.id
            ):
                warnings.append(
                    f"Key points '{a.id}' and '{b.id}' are so alike the grader cannot tell them apart."
                )
    for flag in rubric.red_flags:
        for kp in points:
            if _meets(grader, question, flag.text, rubric, kp.id):
                warnings.append(f"Red flag '{flag.id}' reads like key point '{kp.id}'; reword one of them.")
    labelled = {k for e in rubric.exemplars for k in e.met}
    for kp in points:
        if kp.id not in labelled:
            warnings.append(f"No exemplar is labelled as meeting key point '{kp.id}'; add one.")
    return DoctorReport(tuple(checks), tuple(warnings))
