"""Seed a demo cohort: learners in several hospital roles play every module with real labelled answers.

Example:
    .venv/bin/python scripts/demo_cohort.py --data-dir ward-data --admin A100 --learners 12

Run it with the appliance stopped (the store allows one process). It adds learners ``D001``.. (PIN 583920) and a
reviewer ``R900`` (PIN 731904) unless they exist, then each learner plays each scenario of their modules through
the real player and grader, choosing the best (or an acceptable) action and writing an answer drawn from the
double-labelled demo set (``data/eval/demo_rationales.jsonl``) for that decision: strong, partial, weak and
unsafe answers as educators wrote them. The grader flags what it is unsure of, which fills the review queue and
the dashboard as a real ward would. Answers are the demo set's, so nothing here is a real learner's text.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

from appliance.config import load_settings
from appliance.engine import DecisionNode, current_node
from appliance.services import Services, open_services

ANSWERS = Path(__file__).resolve().parent.parent / "data" / "eval" / "demo_rationales.jsonl"
LEARNER_PIN, REVIEWER_PIN = "583920", "731904"


def _answers() -> dict[str, list[str]]:
    by_decision: dict[str, list[str]] = defaultdict(list)
    for line in ANSWERS.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_decision[row["decision_id"]].append(row["student_answer"])
    return by_decision


def _staff(
    svc: Services, admin_id: str, staff_id: str, name: str, roles: tuple[str, ...], job: str | None, pin: str
) -> str:
    existing = svc.store.users.by_staff_id(staff_id)
    if existing is not None:
        return existing.user_id
    return svc.auth.create_user(admin_id, staff_id, name, roles, job, pin).user_id


def seed(svc: Services, admin_staff_id: str, learners: int, seed_value: int) -> dict[str, int]:
    """Add the cohort and play it; returns what was done."""
    admin = svc.store.users.by_staff_id(admin_staff_id)
    if admin is None:
        raise SystemExit(f"no user with staff ID {admin_staff_id}: provision the appliance first")
    rng = random.Random(seed_value)
    answers = _answers()
    roles = [r.id for r in svc.curriculum.taxonomy.roles] or ["nurse"]
    _staff(svc, admin.user_id, "R900", "Demo Reviewer", ("reviewer",), None, REVIEWER_PIN)
    done = {"learners": 0, "attempts": 0, "grades": 0}
    for n in range(1, learners + 1):
        job = roles[n % len(roles)]
        user_id = _staff(svc, admin.user_id, f"D{n:03d}", f"Demo Learner {n}", ("learner",), job, LEARNER_PIN)
        done["learners"] += 1
        for module in svc.curriculum.modules_for(job):
            for scenario in module.scenarios:
                view = svc.player.open(user_id, module.id, scenario.id, new=True)
                done["attempts"] += 1
                while not view.state.finished:
                    node = current_node(view.scenario, view.state)
                    if isinstance(node, DecisionNode):
                        good = [c for c in node.choices if c.rating.value in ("best", "acceptable")]
                        choice = rng.choice(good or list(node.choices))
                        text = rng.choice(answers.get(node.id) or ["I would escalate to the team now."])
                        view = svc.player.submit(user_id, view.attempt_id, view.revision, choice.id, text)
                        done["grades"] += 1
                    else:
                        view = svc.player.advance(user_id, view.attempt_id, view.revision)
    done["waiting for review"] = len(svc.review.queue())
    return done


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, help="Data folder (default: the configured one).")
    parser.add_argument("--admin", default="A100", help="Staff ID of an existing administrator.")
    parser.add_argument("--learners", type=int, default=12)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    svc = open_services(load_settings(data_dir=args.data_dir, grader_warm_up=False))
    try:
        print(seed(svc, args.admin, args.learners, args.seed))
    finally:
        svc.close()


if __name__ == "__main__":
    main()
