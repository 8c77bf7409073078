"""Site commands: first-run provisioning (the same code path as the setup page)."""

from __future__ import annotations

from pathlib import Path

import click

from appliance.auth import AuthError
from appliance.config import load_settings
from appliance.services.parts import AuthService
from appliance.store import Store, StoreError


@click.command()
@click.option("--site-name", required=True, help="The site's name, shown on every page and credential.")
@click.option("--staff-id", required=True, help="Staff ID of the first administrator.")
@click.option("--name", "display_name", required=True, help="Name of the first administrator.")
@click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Data folder (env WARD_DATA_DIR)."
)
@click.option(
    "--pin", prompt=True, hide_input=True, confirmation_prompt=True, help="The administrator's PIN."
)
def provision(site_name: str, staff_id: str, display_name: str, data_dir: Path | None, pin: str) -> None:
    """Set up a new appliance: name the site and create the first administrator (no default accounts).

    \b
    Example:
        appliance provision --site-name "NICU, St Mary's" --staff-id A100 --name "Ada Admin"
    """
    settings = load_settings(data_dir=data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        store = Store.from_settings(settings)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    try:
        done = AuthService(store, data_dir=settings.data_dir).provision_site(
            site_name, staff_id, display_name, pin
        )
    except AuthError as err:
        raise click.ClickException(str(err)) from err
    finally:
        store.close()
    click.echo(
        f"Provisioned {site_name!r}; administrator {done.admin.display_name} ({done.admin.staff_id}) can sign in."
    )
    if done.recovery_key is not None:
        click.echo("")
        click.echo(done.recovery_key.sheet(site_name))


@click.command("setup-code")
@click.option(
    "--data-dir", type=click.Path(file_okay=False, path_type=Path), help="Data folder (env WARD_DATA_DIR)."
)
def setup_code(data_dir: Path | None) -> None:
    """Print the one-time code the first-run setup page asks for (run it on the box itself).

    \b
    Example:
        appliance setup-code
    """
    settings = load_settings(data_dir=data_dir)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.from_settings(settings)
    try:
        code = AuthService(store, setup_code_file=settings.data_dir / "keys" / "setup-code").setup_code()
    finally:
        store.close()
    if code is None:
        click.echo("This appliance is set up already; sign in as an administrator.")
    else:
        click.echo(f"First-run setup code: {code}")


COMMANDS = (provision, setup_code)
