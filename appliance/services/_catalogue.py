"""The learner's catalogue: their modules with progress, and their credential pathway."""

from __future__ import annotations

from typing import Literal

from appliance.engine.curriculum import CredentialLevel
from appliance.services._credentials import CredentialAwarder
from appliance.services._curriculum import CurriculumService
from appliance.services._standing import module_passed_on
from appliance.services._views import Catalogue, CredentialCard, ModuleCard, ScenarioProgress
from appliance.store import AttemptStatus, Store


class CatalogueService:
    """Builds the learner's home page from the curriculum and their records."""

    def __init__(self, store: Store, curriculum: CurriculumService, awarder: CredentialAwarder) -> None:
        self._store = store
        self._curriculum = curriculum
        self._awarder = awarder

    def for_learner(self, learner_id: str, hospital_role: str | None) -> Catalogue:
        """Modules for the learner's hospital role with progress, then their credentials and what is next."""
        summaries = self._store.attempts.for_learner(learner_id)
        held = self._awarder.held(learner_id)
        taxonomy = self._curriculum.taxonomy
        cards = []
        for module in self._curriculum.modules_for(hospital_role):
            progress = []
            for scenario in module.scenarios:
                mine = [s for s in summaries if s.module_id == module.id and s.scenario_id == scenario.id]
                status: Literal["not-started", "in-progress", "finished"]
                if any(s.status is AttemptStatus.ACTIVE for s in mine):
                    status = "in-progress"
                elif any(s.status in (AttemptStatus.ENDED, AttemptStatus.STOPPED) for s in mine):
                    status = "finished"
                else:
                    status = "not-started"
                progress.append(ScenarioProgress(scenario.id, scenario.title, status))
            passed = module_passed_on(held, taxonomy, module.id) is not None
            cards.append(ModuleCard(module, tuple(progress), passed=passed))
        titles = {c.id: c.title for c in taxonomy.credentials}
        module_titles = {m.id: m.title for m in self._curriculum.curriculum.modules}
        credentials = []
        for spec in taxonomy.credentials:
            record = held.get(spec.id)
            missing: tuple[str, ...]
            if spec.level is CredentialLevel.BADGE:
                missing = () if record else (f"pass '{module_titles.get(spec.module or '', spec.module)}'",)
            else:
                missing = tuple(titles.get(r, r) for r in spec.requires if r not in held)
            credentials.append(
                CredentialCard(
                    id=spec.id,
                    title=spec.title,
                    level=spec.level.value,
                    earned=record is not None,
                    issued_on=record.issued_at.date().isoformat() if record else None,
                    missing=missing,
                )
            )
        return Catalogue(tuple(cards), tuple(credentials))
