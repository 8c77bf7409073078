"""The root command group. Each command lives in a module of its own and is listed in ``_COMMAND_MODULES``."""

from __future__ import annotations

from typing import Any

import click

from appliance import __version__
from appliance.cli import (
    _admin,
    _curriculum,
    _export,
    _grade,
    _hub,
    _models,
    _serve,
    _store,
    _sync,
    _update,
    _verify,
)
from appliance.cli import _import as _import_cmds
from appliance.cli._errors import CLEAN_ERRORS

_COMMAND_MODULES = (
    _curriculum,
    _serve,
    _admin,
    _store,
    _grade,
    _models,
    _verify,
    _import_cmds,
    _hub,
    _sync,
    _export,
    _update,
)


class _Group(click.Group):
    """A group that turns library errors into clean one-line messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CLEAN_ERRORS as err:
            raise click.ClickException(str(err)) from err


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(__version__, prog_name="appliance")
def cli() -> None:
    """The ward training appliance: scenarios, graded rationales, credentials, offline.

    \b
    Example:
        appliance serve
        appliance validate appliance/demo/modules/*.json
    """


for _module in _COMMAND_MODULES:
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def main() -> None:
    """Entry point of the ``appliance`` console script."""
    cli(prog_name="appliance")
