"""Records out: xAPI statements (JSON lines) and a per-decision CSV, and forwarding to an LRS."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from appliance.config import Settings, load_settings
from appliance.engine.curriculum import load_curriculum
from appliance.services.parts import RecordsService
from appliance.services.records import RecordFilter, home_page, lrs_client
from appliance.store import Store

_DATA_DIR = click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Data folder (env WARD_DATA_DIR)."
)
_SINCE = click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day to include (YYYY-MM-DD).")
_UNTIL = click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day to include (YYYY-MM-DD).")
_MODULE = click.option("--module", "module_id", help="Only this module (its id).")


def _filter(since: datetime | None, until: datetime | None, module_id: str | None) -> RecordFilter:
    end = until.replace(hour=23, minute=59, second=59, tzinfo=UTC) if until else None
    return RecordFilter(since=since.replace(tzinfo=UTC) if since else None, until=end, module_id=module_id)


def _records(settings: Settings, store: Store) -> RecordsService:
    return RecordsService(store, load_curriculum(settings.curriculum_dir), home_page(settings, store))


@click.group()
def export() -> None:
    """Export learning records: xAPI statements or a CSV for spreadsheets, or send xAPI to an LRS.

    \b
    Example:
        appliance export xapi statements.jsonl
        appliance export csv records.csv --module ai-safety-sepsis
    """


@export.command("xapi")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_SINCE
@_UNTIL
@_MODULE
@_DATA_DIR
def export_xapi(
    out: Path, since: datetime | None, until: datetime | None, module_id: str | None, data_dir: Path | None
) -> None:
    """Write xAPI 1.0.3 statements to OUT as JSON lines (UTF-8, no BOM); ids are the same on every export.

    \b
    Example:
        appliance export xapi /media/usb/statements.jsonl --since 2026-01-01 --module ai-safety-sepsis
    """
    settings = load_settings(data_dir=data_dir)
    with Store.from_settings(settings) as store:
        count = _records(settings, store).write_xapi(out, _filter(since, until, module_id))
    click.echo(f"Wrote {count} statements to {out}")


@export.command("csv")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@_SINCE
@_UNTIL
@_MODULE
@_DATA_DIR
def export_csv(
    out: Path, since: datetime | None, until: datetime | None, module_id: str | None, data_dir: Path | None
) -> None:
    """Write one row per graded decision to OUT (UTF-8 with a byte-order mark, so spreadsheets read accents).

    \b
    Example:
        appliance export csv ward-2026.csv --since 2026-01-01 --until 2026-12-31
    """
    settings = load_settings(data_dir=data_dir)
    with Store.from_settings(settings) as store:
        count = _records(settings, store).write_csv(out, _filter(since, until, module_id))
    click.echo(f"Wrote {count} rows to {out}")


@export.command("forward")
@_DATA_DIR
def export_forward(data_dir: Path | None) -> None:
    """Send the queued xAPI statements to the LRS in WARD_LRS_URL (basic auth from WARD_LRS_USERNAME/PASSWORD).

    Statements already sent are skipped; a re-sent batch is stored once by the LRS (ids are deterministic).

    \b
    Example:
        WARD_LRS_URL=https://lrs.trust.nhs.example/xapi appliance export forward
    """
    settings = load_settings(data_dir=data_dir)
    if not settings.lrs_url:
        raise click.ClickException("Set WARD_LRS_URL (and WARD_LRS_USERNAME / WARD_LRS_PASSWORD) first.")
    with (
        Store.from_settings(settings) as store,
        lrs_client(settings.lrs_username, settings.lrs_password) as client,
    ):
        sent = _records(settings, store).forward(client, settings.lrs_url)
    click.echo(f"Sent {sent} statements to {settings.lrs_url}")


COMMANDS = (export,)
