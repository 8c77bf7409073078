"""Grader commands: grade a rationale."""

from __future__ import annotations

import click

COMMANDS: tuple[click.Command, ...] = ()
