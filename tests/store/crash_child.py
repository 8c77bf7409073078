"""A writer the crash test kills: it prints one line per acknowledged write, after the store returns.

Run as ``python -m tests.store.crash_child DATA_DIR SEED``. Lines: ``user <id>``, ``attempt <id> <revision>``,
``grade <id>``, ``event <seq>``, ``credential <id>``, ``audit <id>``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from appliance.store import Store, StoreOptions
from tests.store.conftest import grade, state


def main() -> None:
    data_dir, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    # Small thresholds so that kills also land inside checkpoints and journal rotations.
    options = StoreOptions(checkpoint_seconds=0.05, checkpoint_bytes=16 * 1024, max_dirty_shards=8)
    store = Store.open(data_dir, options=options)
    out = sys.stdout

    def ack(line: str) -> None:
        out.write(line + "\n")
        out.flush()

    learners = [u.user_id for u in store.users.list()]
    attempts: dict[str, int] = {}
    while True:
        roll = rng.random()
        if roll < 0.05 or not learners:
            user = store.users.create(
                f"S{seed}-{len(learners)}", f"Nurse {len(learners)}", job_role="nicu-nurse"
            )
            learners.append(user.user_id)
            ack(f"user {user.user_id}")
        elif roll < 0.2 or not attempts:
            attempt = store.attempts.start(rng.choice(learners), "sepsis", "sepsis-1", state())
            attempts[attempt.attempt_id] = attempt.revision
            ack(f"attempt {attempt.attempt_id} {attempt.revision}")
        elif roll < 0.85:
            attempt_id = rng.choice(list(attempts))
            text = f"rationale {seed} {rng.random()} " * rng.randint(1, 20)
            with store.transaction():
                record = store.grades.add(
                    attempt_id,
                    node_id="d0",
                    choice_id="escalate",
                    rationale=text,
                    grade=grade(rng.random()),
                    rubric_hash="sha256:r",
                )
                saved = store.attempts.save(
                    attempt_id,
                    state(decisions=attempts[attempt_id] % 5),
                    expected_revision=attempts[attempt_id],
                )
                event = store.outbox.append(
                    "rationale.graded", {"grade_id": record.grade_id}, subject=saved.learner_id
                )
            attempts[attempt_id] = saved.revision
            ack(f"grade {record.grade_id}")
            ack(f"attempt {attempt_id} {saved.revision}")
            ack(f"event {event.seq}")
        elif roll < 0.92:
            credential = store.credentials.issue(rng.choice(learners), "badge-sepsis", "badge", {"n": seed})
            ack(f"credential {credential.record_id}")
        else:
            entry = store.audit.record("admin", "poke", target=rng.choice(learners))
            ack(f"audit {entry.entry_id}")


if __name__ == "__main__":
    main()
