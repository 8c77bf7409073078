"""UI test set-up: each test gets its own data folder; helpers to provision and sign in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from nicegui.testing import User

from appliance.services import Services
from appliance.store import User as StoredUser
from appliance.ui._context import services

ADMIN_PIN = "402917"
NURSE_PIN = "583920"


@pytest.fixture(autouse=True)
def ward_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app at a fresh data folder before NiceGUI runs the main file."""
    data = tmp_path / "ward-data"
    monkeypatch.setenv("WARD_DATA_DIR", str(data))
    monkeypatch.setenv("WARD_SITE_NAME", "Test NICU")
    monkeypatch.setenv("WARD_GRADER_WARM_UP", "false")  # 8 s of CPU per app start; tested in tests/services
    yield data


def svc() -> Services:
    """The services the running app opened."""
    return services()


def provision() -> tuple[StoredUser, StoredUser]:
    """Create the admin and one NICU nurse directly through the services."""
    admin = svc().auth.provision("Test NICU", "A100", "Ada Admin", ADMIN_PIN)
    nurse = svc().auth.create_user(admin.user_id, "N200", "Nia Nurse", ("learner",), "nicu-nurse", NURSE_PIN)
    return admin, nurse


async def sign_in(user: User, staff_id: str, pin: str, *, expect_success: bool = True) -> None:
    """Sign in through the real sign-in form (waiting for the catalogue when it should succeed)."""
    await user.open("/login")
    user.find(marker="staff-id").type(staff_id)
    user.find(marker="pin").type(pin)
    user.find(marker="sign-in").click()
    if expect_success:
        await user.should_see("Your training", retries=30)


async def sign_out(user: User) -> None:
    """Sign out as the header's button does (a POST; nothing changes state on a GET)."""
    response = await user.http_client.post("/logout")
    assert response.status_code in (200, 303), response.text


@pytest.fixture
def missing_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at a models folder with no models in it."""
    empty = tmp_path / "no-models"
    empty.mkdir()
    monkeypatch.setenv("WARD_MODELS_DIR", str(empty))
    return empty
