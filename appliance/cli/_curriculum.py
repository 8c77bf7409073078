"""Curriculum commands: validate, show, play and schema."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click

from appliance.cli._grading import GradeFn, terminal_grader
from appliance.cli._outline import outline
from appliance.engine import (
    ContentNode,
    DecisionNode,
    EndNode,
    FailStateNode,
    PlayError,
    RecoveryNode,
    Scenario,
    advance,
    current_node,
    decide,
    load_document,
    start,
)
from appliance.engine.documents import ModuleDocument, TaxonomyDocument, document_json_schema, scenarios_in
from appliance.engine.validation import validate_scenario

_FILES = click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))


@click.command()
@_FILES
def validate(files: tuple[Path, ...]) -> None:
    """Check scenario or module files and list every problem (exit status 1 if any).

    \b
    Example:
        appliance validate appliance/demo/modules/*.json
    """
    failed = False
    for path in files:
        try:
            document = load_document(path)
        except Exception as err:
            click.echo(f"{path}: INVALID\n  {err}", err=True)
            failed = True
            continue
        problems = [p for s in scenarios_in(document) for p in validate_scenario(s)]
        if problems:
            failed = True
            click.echo(f"{path}: {len(problems)} problem(s)", err=True)
            for problem in problems:
                click.echo(f"  {problem}", err=True)
        else:
            click.echo(f"{path}: ok ({len(scenarios_in(document))} scenario(s))")
    if failed:
        raise SystemExit(1)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def show(file: Path) -> None:
    """Print a readable outline of the scenarios in a file.

    \b
    Example:
        appliance show appliance/demo/modules/ai-safety-sepsis.json
    """
    document = load_document(file)
    if isinstance(document, TaxonomyDocument):
        tax = document.taxonomy
        click.echo(f"Taxonomy {document.id}: {document.title}")
        for role in tax.roles:
            click.echo(f"  role {role.id}: {role.title} <- {', '.join(role.competencies)}")
        for cred in tax.credentials:
            click.echo(
                f"  {cred.level.value} {cred.id}: {cred.title} <- {cred.module or ', '.join(cred.requires)}"
            )
        return
    if isinstance(document, ModuleDocument):
        module = document.module
        click.echo(f"Module {module.id} v{module.version}: {module.title} (~{module.minutes} min)\n")
    click.echo("\n\n".join(outline(s) for s in scenarios_in(document)))


def _say(text: str) -> None:
    click.echo(textwrap.fill(text, 90, initial_indent="  ", subsequent_indent="  "))


def _play_scenario(scenario: Scenario, grade_fn: GradeFn) -> None:
    state = start(scenario)
    while not state.finished:
        node = current_node(scenario, state)
        click.echo()
        click.secho(f"== {node.title} ==", bold=True)
        if isinstance(node, ContentNode):
            _say(node.body)
            for name, value in node.vitals.items():
                click.echo(f"    {name}: {value}")
            if node.ai_output:
                click.secho(f"  [{node.ai_output.tool}] {node.ai_output.text}", fg="cyan")
        elif isinstance(node, FailStateNode):
            click.secho(f"  ADVERSE OUTCOME ({node.severity.value})", fg="red", bold=True)
            _say(node.consequence)
        elif isinstance(node, RecoveryNode):
            _say(node.body)
        if isinstance(node, DecisionNode):
            _say(node.prompt)
            for number, choice in enumerate(node.choices, 1):
                click.echo(f"   {number}. {choice.label}")
            picked = click.prompt("  Your choice", type=click.IntRange(1, len(node.choices)))
            choice = node.choices[picked - 1]
            rationale, grade = None, None
            if node.requires_rationale:
                rationale = click.prompt(f"  {node.rationale_prompt}\n  ")
                if not rationale.strip():
                    raise PlayError(f"the decision '{node.id}' needs a graded rationale")
                grade = grade_fn(node, choice, rationale)
                click.secho(
                    f"  Rationale: {grade.band.value} ({grade.score:.0%}) [{grade.model_id}]", fg="yellow"
                )
                if grade.feedback:
                    _say(grade.feedback)
            if choice.feedback:
                _say(choice.feedback)
            state = decide(scenario, state, choice.id, grade)
        else:
            click.prompt("  (press Enter to continue)", default="", show_default=False)
            state = advance(scenario, state)
    node = current_node(scenario, state)
    click.echo()
    if isinstance(node, EndNode):
        click.secho(f"== {node.title} ({node.outcome.value}) ==", bold=True)
        _say(node.debrief)
    else:
        click.secho(f"== Stopped after {len(state.steps)} steps ==", bold=True)
    average = state.average_score
    click.echo(
        f"\n  Summary: {len(state.decisions)} decision(s), {len(state.fail_states)} adverse outcome(s), "
        f"average rationale score {'n/a' if average is None else f'{average:.0%}'}"
    )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scenario", "scenario_id", help="Which scenario of a module to play (default: each in turn).")
def play(file: Path, scenario_id: str | None) -> None:
    """Play a scenario in the terminal: pick choices and type your rationale.

    \b
    Example:
        appliance play appliance/demo/modules/ai-safety-sepsis.json
    """
    document = load_document(file)
    scenarios = [s for s in scenarios_in(document) if scenario_id in (None, s.id)]
    if not scenarios:
        raise click.ClickException(
            f"{file} has no scenario {scenario_id!r}" if scenario_id else f"{file} has no scenarios"
        )
    for scenario in scenarios:
        problems = validate_scenario(scenario)
        if problems:
            raise click.ClickException(
                f"'{scenario.id}' is not playable:\n  " + "\n  ".join(map(str, problems))
            )
    grade_fn = terminal_grader()
    for scenario in scenarios:
        _play_scenario(scenario, grade_fn)


@click.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of curriculum files.

    \b
    Example:
        appliance schema -o schemas/curriculum-v1.schema.json
    """
    text = json.dumps(document_json_schema(), indent=2) + "\n"
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


COMMANDS = (validate, show, play, schema)
