"""Records out: xAPI statements validate against ralph's models, ids are stable, CSV opens in a spreadsheet."""

from __future__ import annotations

import base64
import csv
import io
import json
import uuid
from pathlib import Path

import httpx
import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement
from ralph.models.xapi.base.unnested_objects import BaseXapiActivityInteractionDefinition

from appliance.services import ForwardError, Services
from appliance.services._records import CSV_COLUMNS, STATEMENT_EVENT, lrs_client
from appliance.services.records import RecordFilter
from appliance.store import User
from tests.services.flows import MODULE, play

INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"


@pytest.fixture
def played(services: Services, nurse: User) -> User:
    play(services, nurse.user_id, "quiet-alert")
    return nurse


def test_every_statement_validates_and_graded_ones_are_long_fill_in(services: Services, played: User) -> None:
    statements = list(services.records.statements())
    assert statements
    graded = [s for s in statements if s["object"].get("definition", {}).get("type") == INTERACTION]
    assert len(graded) == 3
    for statement in statements:
        BaseXapiStatement.model_validate(statement)
        assert statement["actor"]["account"]["name"] == played.user_id  # an account, never a name
        assert "Nia" not in json.dumps(statement)
        assert uuid.UUID(statement["id"]).version == 5
    for statement in graded:
        BaseXapiActivityInteractionDefinition.model_validate(statement["object"]["definition"])
        assert statement["object"]["definition"]["interactionType"] == "long-fill-in"
        result = statement["result"]
        assert (
            result["response"]
            and -1 <= result["score"]["scaled"] <= 1
            and isinstance(result["success"], bool)
        )
        extensions = statement["context"]["extensions"]
        choice = next(v for k, v in extensions.items() if k.endswith("/choice"))
        assert choice["id"] and choice["label"]
        assert any(k.endswith("/rubric-version") and v.startswith("sha256") for k, v in extensions.items())
        assert any(k.endswith("/model-id") and v for k, v in extensions.items())


def test_two_exports_give_the_same_ids_and_the_outbox_queued_them(
    services: Services, played: User, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert services.records.write_xapi(first) == services.records.write_xapi(second) > 0
    ids = [json.loads(line)["id"] for line in first.read_text("utf-8").splitlines()]
    assert ids == [json.loads(line)["id"] for line in second.read_text("utf-8").splitlines()]
    assert len(set(ids)) == len(ids)
    queued = {e.payload["id"] for e in services.store.outbox.after(0, limit=500) if e.type == STATEMENT_EVENT}
    assert queued == set(ids)  # what was queued while playing is what an export gives
    assert not first.read_bytes().startswith(b"\xef\xbb\xbf")


def test_filters_by_module_and_date(services: Services, played: User) -> None:
    assert list(services.records.statements(RecordFilter(module_id="nursing-ai-workflows"))) == []
    assert list(services.records.statements(RecordFilter(module_id=MODULE)))
    future = services.store.grades.for_learner(played.user_id)[0].created_at.replace(year=2099)
    assert list(services.records.csv_rows(RecordFilter(since=future))) == []


def test_csv_has_a_bom_quotes_awkward_cells_and_defuses_formulas(
    services: Services, played: User, tmp_path: Path
) -> None:
    admin = services.store.users.by_staff_id("A100")
    assert admin is not None
    odd = services.auth.create_user(
        admin.user_id, '=cmd|"x",1', "Odd Name", ("learner",), "nicu-nurse", "640913"
    )
    play(services, odd.user_id, "quiet-alert")
    path = tmp_path / "out.csv"
    rows = services.records.write_csv(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(parsed[0]) == CSV_COLUMNS and len(parsed) == rows + 1 == 7
    row = next(dict(zip(parsed[0], r, strict=True)) for r in parsed[1:] if "cmd" in r[0])
    assert row["learner_staff_id"] == '\'=cmd|"x",1'  # quoted, and not run as a formula
    assert row["learner_role"] == "nicu-nurse" and row["module"] == MODULE and row["reviewed"] == "false"
    assert services.records.csv_text().startswith("\ufeff")


def test_forwarding_sends_each_statement_once_with_basic_auth(services: Services, played: User) -> None:
    received: list[dict[str, object]] = []
    auth_headers: set[str] = set()

    def lrs(request: httpx.Request) -> httpx.Response:
        auth_headers.add(request.headers["authorization"])
        assert request.headers["x-experience-api-version"] == "1.0.3"
        received.extend(json.loads(request.content))
        return httpx.Response(200, json=[s["id"] for s in json.loads(request.content)])

    client = lrs_client("key", "secret")
    client._transport = httpx.MockTransport(lrs)
    url = "http://127.0.0.1:9/xapi"
    sent = services.records.forward(client, url, batch=2)
    assert sent == len(received) > 0 and services.records.forward(client, url) == 0
    assert auth_headers == {"Basic " + base64.b64encode(b"key:secret").decode()}
    assert len({s["id"] for s in received}) == len(received)

    failing = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503, text="down")))
    play(services, played.user_id, "loud-alert")
    with pytest.raises(ForwardError, match="503"):
        services.records.forward(failing, url)
