"""A synthetic ward-year of records, as the documents the store keeps (see bench_storage.py)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

ROLES = ("nicu-nurse", "nicu-nurse", "nicu-nurse", "physician", "pharmacist", "cdi-specialist")
MODULES = [f"module-{i:02d}" for i in range(12)]
_VOCABULARY = (
    "assess infant bedside alert sepsis score lactate escalate registrar verify source vitals "
    "trend document rationale automation bias override clinical judgement parents privacy "
    "consent data tool model output threshold false positive negative perfusion capillary "
    "refill temperature review "
)
WORDS = _VOCABULARY.split()
YEAR = datetime(2026, 1, 1, tzinfo=UTC)


def text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def unquoted(grade: dict[str, Any]) -> dict[str, Any]:
    """A grade as a play state keeps it: without the key points' quotes of the learner."""
    return {**grade, "key_points": [{**kp, "evidence": None} for kp in grade["key_points"]]}


def grade_doc(rng: random.Random) -> dict[str, Any]:
    score = round(rng.random(), 3)
    key_points = [
        {
            "key_point_id": f"kp{k}",
            "met": rng.random() < 0.6,
            "critical": k == 0,
            "evidence": text(rng, 8, 14),
            "similarity": round(rng.random(), 3),
        }
        for k in range(4)
    ]
    return {
        "score": score,
        "band": ("strong", "adequate", "insufficient", "unsafe")[int((1 - score) * 3.99)],
        "passed": score >= 0.6,
        "key_points": key_points,
        "red_flags": [],
        "confidence": 0.9,
        "needs_review": rng.random() < 0.05,
        "review_reason": None,
        "feedback": text(rng, 20, 30),
        "model_id": "minilm-l6-int8",
        "model_version": "1.0.0",
        "latency_ms": 11.5,
    }


def ward_year(scale: float, seed: int = 1) -> Iterator[tuple[str, Any]]:
    """Yield ("user"|"attempt"|"grade"|"credential"|"event"|"audit"|"flush", document) for a ward-year."""
    rng = random.Random(seed)
    users = [f"u{i:011d}" for i in range(300)]
    for i, user_id in enumerate(users):
        yield (
            "user",
            {
                "user_id": user_id,
                "staff_id": f"S{i:05d}",
                "display_name": f"Staff {i}",
                "roles": ["learner"],
                "job_role": ROLES[i % len(ROLES)],
                "pin_hash": "$argon2id$v=19$m=65536,t=3,p=4$" + "x" * 60,
                "failed_attempts": 0,
                "locked_until": None,
                "active": True,
                "created_at": YEAR.isoformat(),
                "updated_at": YEAR.isoformat(),
                "revision": 1,
            },
        )
    per_learner = max(1, round(100 * scale))
    for user_id in users:
        for n in range(per_learner):
            started = YEAR + timedelta(minutes=rng.randrange(365 * 24 * 60))
            attempt_id = f"{user_id}-{started:%Y%m}-{n:010x}"
            module = rng.choice(MODULES)
            steps, grades = [], []
            for d in range(5):
                grade = grade_doc(rng)
                rationale = text(rng, 40, 90)
                grade_id = f"{attempt_id}-{d:08x}"
                steps.append(
                    {
                        "node_id": f"c{d}",
                        "kind": "content",
                        "choice_id": None,
                        "choice_rating": None,
                        "rationale_id": None,
                        "grade": None,
                    }
                )
                steps.append(
                    {
                        "node_id": f"d{d}",
                        "kind": "decision",
                        "choice_id": "escalate",
                        "choice_rating": "best",
                        "rationale_id": grade_id,  # the text lives only in the grade record
                        "grade": unquoted(grade),
                    }
                )
                created = started + timedelta(minutes=2 * d + 1)
                grades.append(
                    {
                        "grade_id": grade_id,
                        "attempt_id": attempt_id,
                        "learner_id": user_id,
                        "module_id": module,
                        "scenario_id": f"{module}-s1",
                        "node_id": f"d{d}",
                        "choice_id": "escalate",
                        "rationale": rationale,
                        "grade": grade,
                        "rubric_hash": "sha256:" + "ab" * 32,
                        "model_id": grade["model_id"],
                        "model_version": grade["model_version"],
                        "created_at": created.isoformat(),
                        "override": None,
                        "redacted_at": None,
                    }
                )
            scores = [g["grade"]["score"] for g in grades]
            state = {
                "scenario_id": f"{module}-s1",
                "node_id": "end",
                "status": "ended",
                "variables": {"lactate_checked": True},
                "steps": steps,
                "last_grade": unquoted(grades[-1]["grade"]),
                "fail_states": [],
                "outcome": "success",
            }
            yield (
                "attempt",
                {
                    "attempt_id": attempt_id,
                    "learner_id": user_id,
                    "module_id": module,
                    "module_version": "1.0.0",
                    "scenario_id": f"{module}-s1",
                    "state": state,
                    "status": "ended",
                    "revision": 11,
                    "score": sum(scores) / 5,
                    "passed": sum(scores) / 5 >= 0.6,
                    "started_at": started.isoformat(),
                    "updated_at": (started + timedelta(minutes=12)).isoformat(),
                    "redacted_at": None,
                },
            )
            for grade in grades:
                yield "grade", grade
                yield (
                    "event",
                    (
                        "rationale.graded",
                        {"grade_id": grade["grade_id"], "score": grade["grade"]["score"]},
                        user_id,
                        grade["created_at"],
                    ),
                )
        yield "flush", user_id
    for index, user_id in enumerate(users):
        for n in range(round(2000 * scale * (index + 1) / 300) - round(2000 * scale * index / 300)):
            issued = YEAR + timedelta(days=rng.randrange(365))
            yield (
                "credential",
                {
                    "record_id": f"{user_id}-c{n:010x}",
                    "learner_id": user_id,
                    "credential_id": rng.choice(MODULES),
                    "level": "badge",
                    "issued_at": issued.isoformat(),
                    "expires_at": None,
                    "revoked_at": None,
                    "revoked_reason": None,
                    "payload": {"proof": "z" * 600, "type": ["VerifiableCredential"]},
                },
            )
    for n in range(round(5000 * scale)):
        at = YEAR + timedelta(minutes=rng.randrange(365 * 24 * 60))
        yield (
            "audit",
            {
                "entry_id": f"{at:%Y%m%dT%H%M%S%f}-{n:010d}-0000",
                "actor": rng.choice(users),
                "action": "sign-in",
                "target": None,
                "details": {},
                "at": at.isoformat(),
            },
        )
