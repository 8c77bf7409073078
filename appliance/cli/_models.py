"""Model commands: build and verify the bundled models."""

from __future__ import annotations

import click

COMMANDS: tuple[click.Command, ...] = ()
