"""A site that issued real credentials: the demo learner passed both demo modules with the best answers."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from appliance.config import load_settings
from appliance.engine import ChoiceRating, DecisionNode, current_node
from appliance.services import Services, open_services
from appliance.services.views import CredentialView
from appliance.store import User

FIXTURES = Path(__file__).parent / "fixtures"


def play_well(services: Services, learner: User, module_id: str, scenario_id: str) -> tuple[str, ...]:
    """Play with the best choices, writing each rubric's strongest exemplar; return what was awarded."""
    view = services.player.open(learner.user_id, module_id, scenario_id, new=True)
    while not view.state.finished:
        node = current_node(view.scenario, view.state)
        if isinstance(node, DecisionNode):
            best = next(c for c in node.choices if c.rating is ChoiceRating.BEST)
            assert node.rubric is not None
            exemplar = max(node.rubric.exemplars, key=lambda e: e.score)
            view = services.player.submit(
                learner.user_id, view.attempt_id, view.revision, best.id, exemplar.text
            )
        else:
            view = services.player.advance(learner.user_id, view.attempt_id, view.revision)
    return view.awarded


def pass_module(services: Services, learner: User, module_id: str) -> tuple[str, ...]:
    """Pass every scenario of a module; return what was awarded."""
    module = services.curriculum.module(module_id)
    return tuple(a for s in module.scenarios for a in play_well(services, learner, module.id, s.id))


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """Services on a fresh data folder (lexical grader: fast, and the exemplars pass it)."""
    svc = open_services(load_settings(data_dir=tmp_path / "ward-data", grader_backend="lexical"))
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def nurse(services: Services) -> User:
    """A provisioned site with one NICU nurse."""
    admin = services.auth.provision("NICU", "A100", "Ada Admin", "402917")
    return services.auth.create_user(admin.user_id, "N200", "Nia Nurse", ("learner",), "nicu-nurse", "583920")


@dataclass(frozen=True)
class Issued:
    """The demo learner's three credentials (micro-credential first) on a live site."""

    services: Services
    nurse: User
    views: tuple[CredentialView, ...]

    def doc(self, level: str = "badge") -> dict[str, Any]:
        """A fresh copy of the first credential of ``level``."""
        view = next(v for v in self.views if v.level == level)
        copied: dict[str, Any] = json.loads(view.json)
        return copied


@pytest.fixture(scope="session")
def earned_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder, made once, in which the demo learner passed both demo modules."""
    data = tmp_path_factory.mktemp("earned") / "ward-data"
    svc = open_services(load_settings(data_dir=data, grader_backend="lexical"))
    try:
        admin = svc.auth.provision("NICU", "A100", "Ada Admin", "402917")
        nurse = svc.auth.create_user(admin.user_id, "N200", "Nia Nurse", ("learner",), "nicu-nurse", "583920")
        for module in svc.curriculum.curriculum.modules:
            pass_module(svc, nurse, module.id)
    finally:
        svc.close()
    return data


@pytest.fixture
def issued(tmp_path: Path, earned_site: Path) -> Iterator[Issued]:
    """The demo learner after passing both demo modules (a fresh copy of that site for each test)."""
    data = tmp_path / "ward-data"
    shutil.copytree(earned_site, data)
    svc = open_services(load_settings(data_dir=data, grader_backend="lexical"))
    try:
        nurse = svc.store.users.by_staff_id("N200")
        assert nurse is not None
        yield Issued(svc, nurse, svc.credentials.for_learner(nurse.user_id))
    finally:
        svc.close()
