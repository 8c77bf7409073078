"""Stacking: one module's badge alone earns nothing more; both badges issue the micro-credential citing them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from appliance.services import Services
from appliance.services.parts import CredentialAwarder, CredentialService, CurriculumService
from appliance.store import User
from tests.credentials.conftest import Issued, pass_module


def test_a_partial_set_awards_only_its_badge(services: Services, nurse: User) -> None:
    awarded = pass_module(services, nurse, "ai-safety-sepsis")
    assert awarded == ("AI safety in clinical environments",)
    levels = [c.level for c in services.store.credentials.for_learner(nurse.user_id)]
    assert levels == ["badge"]


def test_the_complete_set_issues_the_micro_credential_citing_the_badges(issued: Issued) -> None:
    micro = issued.doc("micro-credential")
    achievement = micro["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    badges = {v.document["id"] for v in issued.views if v.level == "badge"}
    cited = {e["id"] for e in micro["evidence"] if e["genre"] == "Credential"}
    assert cited == badges and len(badges) == 2
    assert "Hold every one of these credentials" in achievement["criteria"]["narrative"]


def test_status_indices_are_unique_and_continue_after_a_restart(issued: Issued) -> None:
    indices = [int(v.document["credentialStatus"]["statusListIndex"]) for v in issued.views]
    assert sorted(indices) == [0, 1, 2]
    status = issued.services.credentials.site.status
    status._next = None  # as after a restart: seeded again from the store
    assert status.allocate()["statusListIndex"] == "3"


def test_a_badge_due_for_renewal_is_issued_again(services: Services, nurse: User) -> None:
    pass_module(services, nurse, "nursing-ai-workflows")
    later = datetime.now(UTC) + timedelta(days=700)  # inside the 60-day renewal window of a 730-day badge
    awarder = CredentialAwarder(
        services.store, services.curriculum.taxonomy, services.credentials.site.issuer, lambda: later
    )
    module = services.curriculum.module("nursing-ai-workflows")
    awarded = awarder.award_for_module(nurse.user_id, module, {"average_score": 0.9})
    assert [a.id for a in awarded] == ["badge-nursing-ai-workflows"]
    assert len(services.store.credentials.for_learner(nurse.user_id)) == 2


def test_the_learner_sees_what_to_renew(issued: Issued) -> None:
    svc = issued.services.credentials
    assert all(v.renewal is None for v in issued.views)
    svc._clock = lambda: datetime.now(UTC) + timedelta(days=700)
    assert all("Expires on" in (v.renewal or "") for v in svc.for_learner(issued.nurse.user_id))
    svc._clock = lambda: datetime.now(UTC) + timedelta(days=800)
    assert all("Expired on" in (v.renewal or "") for v in svc.for_learner(issued.nurse.user_id))


def test_a_major_module_version_change_asks_for_renewal(issued: Issued) -> None:
    curriculum = issued.services.curriculum.curriculum
    bumped = tuple(m.model_copy(update={"version": "2.0.0"}) for m in curriculum.modules)
    changed = CurriculumService(curriculum.model_copy(update={"modules": bumped}))
    service = CredentialService(issued.services.store, changed, issued.services.credentials.site)
    notices = {v.level: v.renewal for v in service.for_learner(issued.nurse.user_id)}
    assert notices["badge"] == "The module changed materially (version 1.0.0 to 2.0.0): renew it."
    assert notices["micro-credential"] is None
