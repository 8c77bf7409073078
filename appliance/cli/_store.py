"""Storage commands: backup, restore and integrity checks."""

from __future__ import annotations

import click

COMMANDS: tuple[click.Command, ...] = ()
