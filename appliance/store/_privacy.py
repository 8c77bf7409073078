"""Privacy: delete a learner's personal data; purge rationale texts after the retention period.

A rationale's text (and the grade's quotes of it) lives only in its grade record; an attempt's play state
refers to that record by id and holds no learner text, so neither operation edits a play state.

Both keep the cohort numbers right by folding what they remove into anonymised counts (per module,
hospital role and month), and both end with a checkpoint that also deletes the retained journal and the
``.prev`` generations of the rewritten files, so the removed text is gone from the disk (but not from
backups made earlier: see docs/storage.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from appliance.store._audit import Audit
from appliance.store._errors import NotFound
from appliance.store._layout import AGGREGATES, LEARNER_MONTH, USERS, learner_credentials
from appliance.store._outbox import Outbox
from appliance.store._reports import DeletionReport, PurgeReport
from appliance.store._summaries import (
    GRADES,
    GRADES_PASSED,
    SCORE_SUM,
    empty_counts,
    grade_outcome,
    summarize,
)
from appliance.store.engine import Core, Shard, Tx, checkpoint

UNASSIGNED = "unassigned"
_PURGE_WAIT = 30.0


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _add_counts(core: Core, module_id: str, role: str, month: str, counts: list[float]) -> None:
    table = core.shard(AGGREGATES).table("modules")
    key = f"{module_id}|{role}|{month}"
    doc = table.doc(key) or {
        "module_id": module_id,
        "job_role": role,
        "month": month,
        "counts": empty_counts(),
    }
    table.put(key, {**doc, "counts": [a + b for a, b in zip(doc["counts"], counts, strict=True)]})


def _redact_outbox(core: Core, tx: Tx, learner_id: str, before: datetime | None, upto_seq: int) -> int:
    redacted = 0
    for shard in core.shards("outbox/"):
        if learner_id and learner_id not in shard.summary.get("subjects", ()):
            continue
        table = shard.table("events")
        for key, doc in list(table._read_table().items()):
            if doc.get("redacted") or not doc.get("subject"):
                continue
            if learner_id and doc["subject"] != learner_id:
                continue
            if before is not None and (_at(doc["created_at"]) >= before or doc["seq"] > upto_seq):
                continue
            table.put(str(key), {**doc, "payload": {}, "subject": None, "redacted": True})
            tx.no_history.add(shard)
            redacted += 1
    return redacted


def delete_learner(core: Core, user_id: str, actor: str) -> DeletionReport:
    """Remove a learner's account, attempts, grades, rationales and credentials; keep anonymised counts.

    :raises NotFound: no such user.
    """
    with core.write() as tx:
        users = core.shard(USERS).table("users")
        user = users.doc(user_id)
        if user is None:
            raise NotFound(f"no user {user_id!r}")
        role = user.get("job_role") or UNASSIGNED
        attempts = grades = 0
        modules: set[str] = set()
        shards: list[Shard] = core.shards(f"learners/{user_id}/")
        for shard in shards:
            tables = tx.view(shard)
            if shard.kind == LEARNER_MONTH:
                month = shard.name.rsplit("/", 1)[1]
                for module_id, counts in summarize(shard.name, tables)["m"].items():
                    _add_counts(core, module_id, role, month, counts)
                    modules.add(module_id)
                attempts += len(tables.get("attempts", {}))
                grades += len(tables.get("grades", {}))
        learner_table = core.shard(AGGREGATES).table("learners")
        for module_id in modules:
            key = f"{module_id}|{role}"
            doc = learner_table.doc(key) or {"module_id": module_id, "job_role": role, "learners": 0}
            learner_table.put(key, {**doc, "learners": doc["learners"] + 1})
        credentials = core.shard(learner_credentials(user_id)).table("credentials")
        issued = core.shard(AGGREGATES).table("credentials")
        n_credentials = 0
        for doc in list(credentials.docs()):
            n_credentials += 1
            counted = issued.doc(doc["credential_id"]) or {"credential_id": doc["credential_id"], "issued": 0}
            issued.put(doc["credential_id"], {**counted, "issued": counted["issued"] + 1})
        for shard in shards:
            core.drop(shard, tx)
        events = _redact_outbox(core, tx, user_id, None, 0)
        audit_redacted = 0
        for shard in core.shards("audit/"):
            table = shard.table("entries")
            for key, doc in list(table._read_table().items()):  # type: ignore[assignment]
                if user_id in (doc.get("target"), doc.get("actor")) and doc.get("details") != {
                    "redacted": True
                }:
                    table.put(str(key), {**doc, "details": {"redacted": True}})
                    tx.no_history.add(shard)
                    audit_redacted += 1
        users.delete(user_id)
        people = core.shard(AGGREGATES).table("people")
        people.put("deleted", {"count": (people.doc("deleted") or {}).get("count", 0) + 1})
        report = DeletionReport(
            user_id=user_id,
            attempts_deleted=attempts,
            grades_deleted=grades,
            credentials_deleted=n_credentials,
            events_redacted=events,
            audit_entries_redacted=audit_redacted,
        )
        tx.no_history.add(core.shard(USERS))
        Audit(core).record(actor, "learner.deleted", user_id, report.model_dump(exclude={"user_id"}))
        Outbox(core).append("learner.deleted", {"learner_id": user_id})
    core.purge_pending = True
    checkpoint(core, wait=_PURGE_WAIT)
    return report


def purge_expired(core: Core, retention_days: int, now: datetime) -> PurgeReport:
    """Drop rationale texts older than ``retention_days``: their grade records (the only copies of the texts)
    fold into anonymised counts, attempts keep their outcome and are marked ``redacted_at`` (their play
    states hold no text to remove), and acknowledged outbox events about learners lose their payload."""
    cutoff = now - timedelta(days=retention_days)
    roles = {d["user_id"]: d.get("job_role") or UNASSIGNED for d in core.shard(USERS).table("users").docs()}
    grades = attempts = 0
    for shard in core.shards("learners/"):
        month = shard.name.rsplit("/", 1)[1]
        if shard.kind != LEARNER_MONTH or month > cutoff.strftime("%Y-%m"):
            continue
        role = roles.get(shard.name.split("/")[1], UNASSIGNED)
        with core.write() as tx:
            table = shard.table("grades")
            for key, doc in list(table._read_table().items()):
                if _at(doc["created_at"]) >= cutoff:
                    continue
                score, passed = grade_outcome(doc)  # type: ignore[arg-type]
                counts = empty_counts()
                counts[GRADES], counts[SCORE_SUM], counts[GRADES_PASSED] = 1, score, int(passed)
                _add_counts(core, doc["module_id"], role, month, counts)
                table.delete(str(key))
                tx.no_history.add(shard)
                grades += 1
            table = shard.table("attempts")
            for key, doc in list(table._read_table().items()):
                if _at(doc["updated_at"]) >= cutoff or doc.get("redacted_at"):
                    continue
                table.put(str(key), {**doc, "redacted_at": now.isoformat()})
                tx.no_history.add(shard)
                attempts += 1
    with core.write() as tx:
        acknowledged = (core.shard("hot/outbox").table("cursor").doc("hub") or {}).get("acknowledged", 0)
        events = _redact_outbox(core, tx, "", cutoff, acknowledged)
    if grades or attempts or events:
        core.purge_pending = True
        checkpoint(core, wait=_PURGE_WAIT)
    return PurgeReport(
        cutoff=cutoff, grades_anonymised=grades, attempts_redacted=attempts, events_redacted=events
    )
