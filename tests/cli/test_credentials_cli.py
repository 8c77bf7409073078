"""``appliance verify FILE``: exit 0 only when valid, otherwise the failed check is named."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from appliance.cli import cli
from tests.credentials.conftest import Issued


def _run(issued: Issued, path: Path, *extra: str) -> tuple[int, str]:
    data_dir = str(issued.services.settings.data_dir)
    result = CliRunner().invoke(cli, ["verify", str(path), "--data-dir", data_dir, *extra])
    return result.exit_code, result.output


def test_verify_passes_a_valid_credential_json_and_png(issued: Issued, tmp_path: Path) -> None:
    view = issued.views[0]
    path = tmp_path / "badge.json"
    path.write_text(view.json)
    code, out = _run(issued, path)
    assert code == 0 and out.strip().endswith("VALID"), out
    png = tmp_path / "badge.png"
    png.write_bytes(issued.services.credentials.baked_png(view))
    assert _run(issued, png)[0] == 0


def test_verify_names_the_failed_check(issued: Issued, tmp_path: Path) -> None:
    doc = issued.doc()
    doc["name"] = "Forged"
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(doc))
    code, out = _run(issued, path)
    assert code == 1 and "FAIL  signature" in out and "the signature check failed" in out
    path.write_text("{not json")
    code, out = _run(issued, path)
    assert code == 1 and "the json check failed" in out


def test_verify_uses_a_status_list_file_and_sees_revocation(issued: Issued, tmp_path: Path) -> None:
    view = issued.views[0]
    issued.services.credentials.revoke("admin", view.record_id, "wrong learner")
    cred = tmp_path / "c.json"
    cred.write_text(view.json)
    listed = tmp_path / "status.json"
    listed.write_text(json.dumps(issued.services.credentials.site.status.current()))
    with_list = CliRunner().invoke(
        cli, ["verify", str(cred), "--data-dir", str(tmp_path / "empty"), "--status-list", str(listed)]
    )
    assert with_list.exit_code == 1 and "FAIL  status" in with_list.output and "revoked" in with_list.output
    result = CliRunner().invoke(cli, ["verify", str(cred), "--data-dir", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "no cached copy" in result.output


def test_verify_requires_the_endorsement_when_a_hub_is_trusted(issued: Issued, tmp_path: Path) -> None:
    path = tmp_path / "badge.json"
    path.write_text(issued.views[0].json)
    code, out = _run(issued, path, "--trust-hub", "did:key:z6MkunknownHub")
    assert code == 1 and "the endorsement check failed" in out
