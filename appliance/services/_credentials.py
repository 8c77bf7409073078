"""Awarding badges and stacked credentials when a module is passed.

This records *that* a credential was earned; the document stored for it comes from a
:class:`CredentialIssuer`: the site's Open Badges 3.0 signer (``appliance.credentials``) in the app, or
:class:`UnsignedIssuer` (an unsigned record marked as such) where no key is at hand. A credential that expires
within :data:`RENEW_WITHIN` counts as due: passing again re-issues it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from appliance.engine import Module
from appliance.engine.curriculum import CredentialLevel, CredentialSpec, Taxonomy
from appliance.store import Store
from appliance.store.records import Credential

RENEW_WITHIN = timedelta(days=60)


class CredentialIssuer(Protocol):
    """Turns an earned credential into the document stored (and later verified) for it."""

    def issue(
        self, learner_id: str, spec: CredentialSpec, evidence: dict[str, Any], issued_at: datetime
    ) -> dict[str, Any]:
        """Return the credential document to store."""
        ...


class UnsignedIssuer:
    """Records the award without a signature (the seam where Open Badges 3.0 signing goes)."""

    def issue(
        self, learner_id: str, spec: CredentialSpec, evidence: dict[str, Any], issued_at: datetime
    ) -> dict[str, Any]:
        """Return an unsigned record of the award."""
        return {
            "signed": False,
            "credential": spec.id,
            "level": spec.level.value,
            "title": spec.title,
            "learner": learner_id,
            "issued_at": issued_at.isoformat(),
            "competencies": list(spec.competencies),
            "evidence": evidence,
        }


class CredentialAwarder:
    """Awards the badge for a passed module, then any higher credential whose requirements are now held."""

    def __init__(
        self,
        store: Store,
        taxonomy: Taxonomy,
        issuer: CredentialIssuer | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._taxonomy = taxonomy
        self._issuer = issuer or UnsignedIssuer()
        self._clock = clock

    def held(self, learner_id: str) -> dict[str, Credential]:
        """The learner's currently valid credentials by credential id."""
        now = self._clock()
        return {
            c.credential_id: c for c in self._store.credentials.for_learner(learner_id) if c.valid_at(now)
        }

    def _due(self, held: dict[str, Credential], credential_id: str) -> bool:
        record = held.get(credential_id)
        if record is None:
            return True
        return record.expires_at is not None and record.expires_at - self._clock() <= RENEW_WITHIN

    def _award(self, learner_id: str, spec: CredentialSpec, evidence: dict[str, Any]) -> Credential:
        now = self._clock()
        expires = now + timedelta(days=spec.valid_days) if spec.valid_days else None
        payload = self._issuer.issue(learner_id, spec, evidence, now)
        with self._store.transaction():
            credential = self._store.credentials.issue(
                learner_id, spec.id, spec.level.value, payload, issued_at=now, expires_at=expires
            )
            self._store.outbox.append(
                "credential.awarded",
                {"credential_id": spec.id, "level": spec.level.value},
                subject=learner_id,
            )
        return credential

    def award_for_module(
        self, learner_id: str, module: Module, evidence: dict[str, Any]
    ) -> tuple[CredentialSpec, ...]:
        """Award what passing ``module`` earns; returns the credentials newly awarded, smallest first."""
        held = self.held(learner_id)
        awarded: list[CredentialSpec] = []
        for spec in self._taxonomy.credentials:
            if spec.level is CredentialLevel.BADGE and spec.module == module.id and self._due(held, spec.id):
                held[spec.id] = self._award(learner_id, spec, evidence)
                awarded.append(spec)
        for level in (CredentialLevel.MICRO_CREDENTIAL, CredentialLevel.NANO_DEGREE):
            for spec in self._taxonomy.credentials:
                if spec.level is level and self._due(held, spec.id) and all(r in held for r in spec.requires):
                    held[spec.id] = self._award(learner_id, spec, {"stacked": list(spec.requires)})
                    awarded.append(spec)
        return tuple(awarded)
