"""The grade and models commands."""

from __future__ import annotations

import json

from click.testing import CliRunner

from appliance.cli import cli
from appliance.engine import Grade
from tests.grader.conftest import FIXTURES, ONNX, STRONG, ensure_built

MODULE = str(FIXTURES / "escalation_module.json")
ARGS = ["grade", MODULE, "--decision", "act", "--choice", "assess-escalate"]


def test_grade_prints_json_that_is_a_grade() -> None:
    ensure_built(ONNX)
    result = CliRunner().invoke(cli, [*ARGS, "--text", STRONG, "--json"], env={"WARD_ACCELERATOR": "cpu"})
    assert result.exit_code == 0, result.output
    grade = Grade.model_validate(json.loads(result.output))
    assert grade.passed and grade.model_id == "all-minilm-l6-v2-int8"


def test_grade_prints_a_readable_summary_and_reads_stdin() -> None:
    ensure_built(ONNX)
    result = CliRunner().invoke(cli, [*ARGS, "--backend", "lexical"], input=STRONG)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("PASS") and "[met   ] escalate (critical)" in result.output
    assert "lexical-fallback" in result.output


def test_grade_errors_are_clean_messages() -> None:
    runner = CliRunner()
    too_long = runner.invoke(cli, [*ARGS, "--text", "word " * 2_500])
    assert too_long.exit_code == 1 and too_long.output.startswith("Error: ") and "too long" in too_long.output
    unknown = runner.invoke(cli, ["grade", MODULE, "--decision", "nope", "--choice", "x", "--text", "hi"])
    assert unknown.exit_code == 1 and "no decision 'nope'" in unknown.output
    bad_choice = runner.invoke(cli, ["grade", MODULE, "--decision", "act", "--choice", "x", "--text", "hi"])
    assert bad_choice.exit_code == 1 and "assess-escalate" in bad_choice.output
    for result in (too_long, unknown, bad_choice):
        assert "Traceback" not in result.output


def test_models_list_and_verify_report_each_model() -> None:
    ensure_built(ONNX)
    listed = CliRunner().invoke(cli, ["models", "list"])
    assert (
        listed.exit_code == 0
        and "all-minilm-l6-v2-int8  [onnx, int8-dynamic-per-channel]  Apache-2.0" in listed.output
    )
    verified = CliRunner().invoke(cli, ["models", "verify"])
    assert "all-minilm-l6-v2-int8: ok" in verified.output


def test_models_verify_fails_on_a_broken_models_dir(tmp_path) -> None:
    (tmp_path / "bad.json").write_text('{"name": "x"}')
    result = CliRunner().invoke(cli, ["models", "verify"], env={"WARD_MODELS_DIR": str(tmp_path)})
    assert result.exit_code == 1 and "not a valid model manifest" in result.output
