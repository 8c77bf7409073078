"""``appliance verify``: check an Open Badges 3.0 credential offline (JSON file or baked PNG)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from appliance.config import load_settings
from appliance.credentials import (
    MalformedCredential,
    MappingStatusLists,
    Verifier,
    local_status_lists,
    unbake,
)

_PNG = b"\x89PNG\r\n\x1a\n"


def _json_files(paths: tuple[Path, ...]) -> list[dict[str, object]]:
    docs = []
    for path in paths:
        try:
            docs.append(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError) as err:
            raise click.ClickException(f"{path}: {err}") from err
    return docs


@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--status-list",
    "status_lists",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A downloaded status list credential (repeatable); the box's own lists are used too.",
)
@click.option(
    "--trust-hub",
    "hubs",
    multiple=True,
    help="DID of a hub whose endorsement of the issuer is required (repeatable).",
)
@click.option(
    "--endorsement",
    "endorsements",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An EndorsementCredential of the issuer (repeatable).",
)
@click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Data folder for cached lists."
)
def verify_command(
    file: Path,
    status_lists: tuple[Path, ...],
    hubs: tuple[str, ...],
    endorsements: tuple[Path, ...],
    data_dir: Path | None,
) -> None:
    """Verify the credential in FILE offline; exit 0 only when every check passes.

    FILE is a credential JSON or a baked badge PNG. Checks, in order: json, context, schema, signature,
    dates, status (from a cached status list) and, with --trust-hub, the issuer's endorsement. A failure
    names its check and the exit status is 1.

    \b
    Example:
        appliance verify nia-safe-ai.json
        appliance verify badge.png --status-list status.json
    """
    raw = file.read_bytes()
    if raw.startswith(_PNG):
        try:
            raw = unbake(raw).encode("utf-8")
        except MalformedCredential as err:
            raise click.ClickException(f"json check failed: {err}") from err
    folder = data_dir if data_dir is not None else load_settings().data_dir
    verifier = Verifier(
        status_lists=MappingStatusLists(_json_files(status_lists), local_status_lists(folder)),
        trusted_hubs=frozenset(hubs),
        endorsements=_json_files(endorsements),
    )
    result = verifier.verify(raw)
    for check in result.checks:
        click.echo(f"{'ok  ' if check.passed else 'FAIL'}  {check.name:<11} {check.detail}")
    if result.failed is not None:
        click.echo(f"INVALID: the {result.failed.name} check failed", err=True)
        raise SystemExit(1)
    click.echo("VALID")


COMMANDS = (verify_command,)
