"""Grader commands: grade a rationale."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import click

from appliance.config import load_settings
from appliance.engine import DecisionNode, Grade, load_document
from appliance.engine.documents import scenarios_in
from appliance.grader import GraderError, load_grader
from appliance.services import grade_decision


def _find_decision(file: Path, decision_id: str) -> DecisionNode:
    for scenario in scenarios_in(load_document(file)):
        for node in scenario.nodes:
            if isinstance(node, DecisionNode) and node.id == decision_id:
                return node
    raise click.ClickException(f"{file} has no decision {decision_id!r}")


def _print_readable(grade: Grade) -> None:
    verdict = "PASS" if grade.passed else "FAIL"
    click.secho(
        f"{verdict}  {grade.band.value}  score {grade.score:.2f}  confidence {grade.confidence:.2f}",
        bold=True,
    )
    for result in grade.key_points:
        mark = "met   " if result.met else "missed"
        critical = " (critical)" if result.critical else ""
        evidence = f'  <- "{result.evidence}"' if result.evidence else ""
        click.echo(f"  [{mark}] {result.key_point_id}{critical}  sim {result.similarity:+.2f}{evidence}")
    for flag in grade.red_flags:
        click.secho(f"  [RED FLAG] {flag}", fg="red")
    if grade.needs_review:
        click.secho(f"  needs review: {grade.review_reason}", fg="yellow")
    click.echo(textwrap.fill(grade.feedback, 100, initial_indent="  ", subsequent_indent="  "))
    click.echo(f"  model {grade.model_id} {grade.model_version}, {grade.latency_ms:.1f} ms")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--decision", "decision_id", required=True, help="Id of the decision node.")
@click.option("--choice", "choice_id", required=True, help="Id of the choice the learner made.")
@click.option("--text", help="The rationale; '-' or omitted reads it from standard input.")
@click.option("--json", "as_json", is_flag=True, help="Print the Grade as JSON.")
@click.option(
    "--backend",
    type=click.Choice(["auto", "onnx", "gguf", "lexical"]),
    help="Override the grader backend (env WARD_GRADER_BACKEND).",
)
def grade(
    file: Path, decision_id: str, choice_id: str, text: str | None, as_json: bool, backend: str | None
) -> None:
    """Grade a learner's rationale for a choice at a decision in a scenario or module file.

    \b
    Example:
        appliance grade appliance/demo/modules/ai-safety-sepsis.json \\
            --decision d1-escalate --choice escalate-now \\
            --text "Her obs are worse than the score suggests, so I am calling the registrar now."
    """
    node = _find_decision(file, decision_id)
    try:
        choice = node.choice(choice_id)
    except KeyError:
        known = ", ".join(c.id for c in node.choices)
        raise click.ClickException(
            f"decision {decision_id!r} has no choice {choice_id!r} (choices: {known})"
        ) from None
    rationale = sys.stdin.read() if text in (None, "-") else text
    try:
        with load_grader(load_settings(grader_backend=backend)) as grader:
            result = grade_decision(grader, node, choice, rationale or "")
    except GraderError as err:
        raise click.ClickException(str(err)) from err
    if as_json:
        click.echo(result.model_dump_json(indent=2))
    else:
        _print_readable(result)


COMMANDS = (grade,)
