"""Import commands: turn a Twine story (Twee 3) into a scenario file, with a report of what mapped."""

from __future__ import annotations

from pathlib import Path

import click

from appliance.engine.documents import ScenarioDocument, save_document
from appliance.engine.validation import validate_scenario
from appliance.services import ImportFailed
from appliance.services.authoring import import_twee


@click.group(name="import")
def import_group() -> None:
    """Bring scenarios in from other tools.

    \b
    Example:
        appliance import twee story.twee -o story.json
    """


@import_group.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Scenario JSON to write.",
)
def twee(file: Path, output: Path) -> None:
    """Convert a Twee 3 file to a scenario file and report what was and was not mapped.

    Passages become nodes, links become edges (or a decision's choices) and tags such as decision, fail,
    recovery and end set node kinds. Open the file in the editor (/author, Import) to finish it.

    \b
    Example:
        appliance import twee night-shift.twee -o night-shift.json
    """
    try:
        source = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ImportFailed(f"{file}: cannot read it as UTF-8 text ({err})") from err
    result = import_twee(source)
    save_document(ScenarioDocument(scenario=result.scenario), output)
    click.echo(f"Wrote {output}: {len(result.scenario.nodes)} node(s), {len(result.scenario.edges)} link(s).")
    click.echo("Mapped:")
    for line in result.mapped:
        click.echo(f"  {line}")
    if result.not_mapped:
        click.echo("Not mapped:")
        for line in result.not_mapped:
            click.echo(f"  {line}")
    problems = validate_scenario(result.scenario)
    if problems:
        click.echo(f"To finish in the editor ({len(problems)} problem(s)):")
        for problem in problems:
            click.echo(f"  {problem}")


COMMANDS = (import_group,)
