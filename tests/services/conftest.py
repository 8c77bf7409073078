"""Services over a real store in a temp folder, the demo curriculum and the configured grader."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appliance.config import load_settings
from appliance.services import Services, open_services
from appliance.store import User


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """Open every service on a fresh data folder."""
    svc = open_services(load_settings(data_dir=tmp_path / "ward-data"))
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def nurse(services: Services) -> User:
    """A provisioned site with one NICU nurse."""
    admin = services.auth.provision("NICU", "A100", "Ada Admin", "402917")
    return services.auth.create_user(admin.user_id, "N200", "Nia Nurse", ("learner",), "nicu-nurse", "583920")
