"""`appliance export xapi|csv`: the CLI writes the same records the services build, with filters."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from appliance.cli import cli
from appliance.config import load_settings
from appliance.services import open_services
from tests.services.flows import play


def _seed(data: Path) -> None:
    svc = open_services(load_settings(data_dir=data, grader_warm_up=False))
    try:
        admin = svc.auth.provision("NICU", "A100", "Ada Admin", "402917")
        nurse = svc.auth.create_user(admin.user_id, "N200", "Nia Nurse", ("learner",), "nicu-nurse", "583920")
        play(svc, nurse.user_id, "quiet-alert")
    finally:
        svc.close()


def test_export_commands_write_stable_xapi_and_a_csv(tmp_path: Path) -> None:
    data = tmp_path / "ward-data"
    _seed(data)
    runner = CliRunner()
    ids = []
    for name in ("a.jsonl", "b.jsonl"):
        result = runner.invoke(cli, ["export", "xapi", str(tmp_path / name), "--data-dir", str(data)])
        assert result.exit_code == 0, result.output
        assert "statements" in result.output
        ids.append([json.loads(line)["id"] for line in (tmp_path / name).read_text("utf-8").splitlines()])
    assert ids[0] == ids[1] and ids[0]
    result = runner.invoke(cli, ["export", "csv", str(tmp_path / "out.csv"), "--data-dir", str(data)])
    assert result.exit_code == 0 and "Wrote 3 rows" in result.output
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    none = runner.invoke(
        cli,
        [
            "export",
            "csv",
            str(tmp_path / "none.csv"),
            "--data-dir",
            str(data),
            "--module",
            "nursing-ai-workflows",
        ],
    )
    assert "Wrote 0 rows" in none.output
    later = runner.invoke(
        cli, ["export", "xapi", str(tmp_path / "c.jsonl"), "--data-dir", str(data), "--since", "2099-01-01"]
    )
    assert "Wrote 0 statements" in later.output
    forward = runner.invoke(cli, ["export", "forward", "--data-dir", str(data)])
    assert forward.exit_code != 0 and "WARD_LRS_URL" in forward.output
