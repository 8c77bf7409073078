"""Records out: xAPI statements (queued in the outbox, exported as JSON lines, forwarded to an LRS) and CSV.

CSV files start with a UTF-8 byte-order mark so spreadsheet programs read accents correctly; cells are
quoted where needed (commas, quotes, line breaks) and a cell that a spreadsheet would run as a formula
(``= + - @`` first) gets a leading apostrophe.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from appliance.config import Settings
from appliance.engine import DecisionNode
from appliance.engine.curriculum import Curriculum
from appliance.services._errors import ForwardError
from appliance.services._xapi import XAPI_VERSION, XapiBuilder
from appliance.store import Attempt, AttemptSummary, GradeRecord, Store

STATEMENT_EVENT = "xapi.statement"
CSV_COLUMNS = (
    "learner_staff_id", "learner_role", "module", "scenario", "decision", "decision_title", "choice",
    "score", "passed", "band", "grader_score", "grader_passed", "needs_review", "reviewed", "reviewer",
    "review_reason", "graded_at", "reviewed_at", "model_id", "rubric_version",
)  # fmt: skip


@dataclass(frozen=True)
class RecordFilter:
    """Which records to export: a date range (inclusive) and one module, each optional."""

    since: datetime | None = None
    until: datetime | None = None
    module_id: str | None = None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class RecordsService:
    """Builds, queues, exports and forwards the appliance's learning records."""

    def __init__(self, store: Store, curriculum: Curriculum, home_page: str) -> None:
        self._store = store
        self._curriculum = curriculum
        self.xapi = XapiBuilder(home_page, curriculum)

    def queue(self, statement: dict[str, Any], learner_id: str) -> None:
        """Put one statement in the outbox (in the caller's transaction when there is one)."""
        self._store.outbox.append(STATEMENT_EVENT, statement, subject=learner_id)

    def queue_graded(self, record: GradeRecord) -> None:
        """Queue the statement of a graded rationale."""
        self.queue(self.xapi.graded(record), record.learner_id)

    def queue_attempt(
        self, attempt: AttemptSummary, outcome: str | None = None, finished: bool = False
    ) -> None:
        """Queue the statement of an attempt started (or finished)."""
        statement = (
            self.xapi.attempt_finished(attempt, outcome) if finished else self.xapi.attempt_started(attempt)
        )
        self.queue(statement, attempt.learner_id)

    def statements(self, where: RecordFilter = RecordFilter()) -> Iterator[dict[str, Any]]:
        """Every statement the records give, in a stable order (same records, same ids and order)."""
        attempts: list[Attempt] = list(
            self._store.reviews.attempts(since=where.since, until=where.until, module_id=where.module_id)
        )
        for attempt in attempts:
            yield self.xapi.attempt_started(attempt)
        for record in self._store.reviews.graded(
            since=where.since, until=where.until, module_id=where.module_id
        ):
            yield self.xapi.graded(record)
            reviewed = self.xapi.reviewed(record)
            if reviewed is not None:
                yield reviewed
        for attempt in attempts:
            if attempt.state.finished:
                outcome = attempt.state.outcome.value if attempt.state.outcome else None
                yield self.xapi.attempt_finished(attempt, outcome)

    def write_xapi(self, path: Path, where: RecordFilter = RecordFilter()) -> int:
        """Write the statements as JSON lines (UTF-8, no BOM); return how many."""
        count = 0
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for statement in self.statements(where):
                out.write(json.dumps(statement, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
        return count

    def csv_rows(self, where: RecordFilter = RecordFilter()) -> Iterator[tuple[str, ...]]:
        """One row per graded decision (see ``CSV_COLUMNS``), cells as text."""
        users = {u.user_id: u for u in self._store.users.list()}
        for record in self._store.reviews.graded(
            since=where.since, until=where.until, module_id=where.module_id
        ):
            user = users.get(record.learner_id)
            review = record.override
            reviewer = users.get(review.reviewer_id) if review else None
            node = None
            with contextlib.suppress(KeyError):
                node = (
                    self._curriculum.module(record.module_id)
                    .scenario(record.scenario_id)
                    .node(record.node_id)
                )
            title = node.title if isinstance(node, DecisionNode) else ""
            values = (
                user.staff_id if user else "(deleted)", user.job_role if user else "", record.module_id,
                record.scenario_id, record.node_id, title, record.choice_id, record.score, record.passed,
                (review.band if review else record.grade.band).value, record.grade.score, record.grade.passed,
                record.grade.needs_review, review is not None,
                (reviewer.staff_id if reviewer else review.reviewer_id) if review else None,
                review.reason if review else None, record.created_at.isoformat(),
                review.at.isoformat() if review else None, record.model_id, record.rubric_hash,
            )  # fmt: skip
            yield tuple(_cell(v) for v in values)

    def csv_text(self, where: RecordFilter = RecordFilter()) -> str:
        """The CSV file as text, with the byte-order mark first."""
        buffer = io.StringIO()
        _write_csv(buffer, self.csv_rows(where))
        return "\ufeff" + buffer.getvalue()

    def write_csv(self, path: Path, where: RecordFilter = RecordFilter()) -> int:
        """Write the CSV export (UTF-8 with BOM, CRLF line ends); return the number of data rows."""
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            return _write_csv(out, self.csv_rows(where))

    def xapi_text(self, where: RecordFilter = RecordFilter()) -> str:
        """The statements as JSON lines text (for a download)."""
        return "".join(
            json.dumps(s, ensure_ascii=False, sort_keys=True) + "\n" for s in self.statements(where)
        )

    def forward(self, client: httpx.Client, url: str, batch: int = 50) -> int:
        """Send queued statements past the cursor to the LRS at ``url``; return how many were sent.

        Statement ids are deterministic, so a batch re-sent after a failure is stored once by the LRS.

        :raises ForwardError: the LRS could not be reached or answered with an error.
        """
        endpoint = url.rstrip("/") + "/statements"
        sent = 0
        while True:
            events = self._store.outbox.after(self._store.overlays.forwarded(url), limit=batch * 4)
            if not events:
                return sent
            statements, last = [], events[-1]
            for event in events:
                if event.type == STATEMENT_EVENT and not event.redacted:
                    statements.append(event)
                    if len(statements) == batch:
                        last = event
                        break
            if statements:
                try:
                    response = client.post(
                        endpoint,
                        json=[e.payload for e in statements],
                        headers={"X-Experience-API-Version": XAPI_VERSION},
                    )
                except httpx.HTTPError as err:
                    raise ForwardError(f"the LRS at {url} could not be reached: {err}") from err
                if response.status_code >= 400:
                    raise ForwardError(
                        f"the LRS at {url} answered {response.status_code}: {response.text[:200]}"
                    )
                sent += len(statements)
            self._store.overlays.mark_forwarded(url, last)


def _write_csv(out: io.TextIOBase | Any, rows: Iterable[tuple[str, ...]]) -> int:
    writer = csv.writer(out, dialect="excel", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count


def home_page(settings: Settings, store: Store) -> str:
    """The site's homepage IRL that learners are xAPI accounts on (configured, else from the device id)."""
    return settings.site_url or f"https://ward-{store.settings.device_id}.local/"


def lrs_client(username: str | None, password: str | None, timeout: float = 10.0) -> httpx.Client:
    """An HTTP client for an LRS, with basic auth when a username is given."""
    auth = httpx.BasicAuth(username, password or "") if username else None
    return httpx.Client(auth=auth, timeout=timeout)
