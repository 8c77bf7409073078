"""``appliance import twee``: writes a loadable scenario file and prints the mapping report."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from appliance.cli import cli
from appliance.engine import load_document
from appliance.engine.documents import ScenarioDocument

FIXTURE = Path(__file__).parent / "fixtures" / "night_shift.twee"


def test_import_twee_writes_a_scenario_and_reports_the_mapping(tmp_path: Path) -> None:
    out = tmp_path / "night.json"
    result = CliRunner().invoke(cli, ["import", "twee", str(FIXTURE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Not mapped:" in result.output and "missing passage 'Nowhere'" in result.output
    assert "[missing-rubric]" in result.output
    document = load_document(out)
    assert isinstance(document, ScenarioDocument) and document.scenario.start == "handover"


def test_a_file_that_is_not_twee_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.twee"
    bad.write_text("no passages here")
    result = CliRunner().invoke(cli, ["import", "twee", str(bad), "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 1 and "Error: No Twee passages" in result.output
