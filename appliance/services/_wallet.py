"""The learner's signed credentials, the public verifier, and revocation by an admin."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from appliance.credentials import (
    Check,
    CredentialSite,
    MalformedCredential,
    Verification,
    badge_image,
    bake,
    unbake,
)
from appliance.services._credentials import RENEW_WITHIN
from appliance.services._curriculum import CurriculumService
from appliance.services._errors import ServiceError
from appliance.store import InvalidInput, NotFound, Store
from appliance.store.records import Credential

_PNG = b"\x89PNG\r\n\x1a\n"


class CredentialNotFound(ServiceError):
    """No such credential (or not this learner's)."""


@dataclass(frozen=True)
class CredentialView:
    """One signed credential as the learner's page shows it."""

    record_id: str
    credential_id: str
    title: str
    level: str
    achievement_type: str
    description: str
    criteria: str
    issued_on: date
    valid_until: date | None
    revoked_reason: str | None
    revoked: bool
    alignments: tuple[tuple[str, str], ...]  # (competency | role, title)
    results: tuple[tuple[str, str], ...]  # (what, value)
    evidence: tuple[str, ...]
    renewal: str | None
    document: dict[str, Any]

    @property
    def json(self) -> str:
        """The signed credential, as downloaded."""
        return json.dumps(self.document, indent=2, ensure_ascii=False)


class CredentialService:
    """Shows, bakes, verifies and revokes this site's signed credentials."""

    def __init__(
        self,
        store: Store,
        curriculum: CurriculumService,
        site: CredentialSite,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._curriculum = curriculum
        self.site = site
        self._clock = clock

    def _renewal(self, record: Credential, doc: dict[str, Any]) -> str | None:
        now = self._clock()
        if record.expires_at is not None and record.expires_at <= now:
            return f"Expired on {record.expires_at.date()}: pass the module again to renew it."
        if record.expires_at is not None and record.expires_at - now <= RENEW_WITHIN:
            return f"Expires on {record.expires_at.date()}: pass the module again to renew it."
        earned = str(doc.get("credentialSubject", {}).get("achievement", {}).get("version", ""))
        spec = next((c for c in self._curriculum.taxonomy.credentials if c.id == record.credential_id), None)
        if spec is not None and spec.module is not None and earned:
            current = self._curriculum.module(spec.module).version
            if current.split(".")[0] != earned.split(".")[0]:
                return f"The module changed materially (version {earned} to {current}): renew it."
        return None

    def _view(self, record: Credential) -> CredentialView:
        doc = record.payload
        subject = doc.get("credentialSubject", {})
        achievement = subject.get("achievement", {})
        names = {d.get("id"): d.get("name", "") for d in achievement.get("resultDescription", [])}
        until = record.expires_at.date() if record.expires_at else None
        return CredentialView(
            record_id=record.record_id,
            credential_id=str(doc.get("id", "")),
            title=str(achievement.get("name", record.credential_id)),
            level=record.level,
            achievement_type=str(achievement.get("achievementType", "")),
            description=str(achievement.get("description", "")),
            criteria=str(achievement.get("criteria", {}).get("narrative", "")),
            issued_on=record.issued_at.date(),
            valid_until=until,
            revoked=record.revoked_at is not None,
            revoked_reason=record.revoked_reason,
            alignments=tuple(
                (
                    "role" if a.get("targetType") == "ext:HospitalRole" else "competency",
                    a.get("targetName", ""),
                )
                for a in achievement.get("alignment", [])
            ),
            results=tuple(
                (names.get(r.get("resultDescription"), ""), str(r.get("value", "")))
                for r in subject.get("result", [])
            ),
            evidence=tuple(str(e.get("name", "")) for e in doc.get("evidence", [])),
            renewal=self._renewal(record, doc),
            document=doc,
        )

    def for_learner(self, learner_id: str) -> tuple[CredentialView, ...]:
        """The learner's signed credentials, newest first."""
        return tuple(
            self._view(c) for c in self._store.credentials.for_learner(learner_id) if "proof" in c.payload
        )

    def get(self, learner_id: str, record_id: str) -> CredentialView:
        """One of the learner's credentials.

        :raises CredentialNotFound: no such credential, or another learner's.
        """
        try:
            record = self._store.credentials.get(record_id)
        except (NotFound, InvalidInput):
            record = None
        if record is None or record.learner_id != learner_id or "proof" not in record.payload:
            raise CredentialNotFound("No such credential.")
        return self._view(record)

    def baked_png(self, view: CredentialView) -> bytes:
        """The badge picture with the signed credential baked in."""
        return bake(badge_image(view.level), json.dumps(view.document, ensure_ascii=False))

    def by_credential_id(self, credential_id: str) -> dict[str, Any] | None:
        """The signed document with this ``id`` issued here (for the QR code's verify link)."""
        for record in self._store.credentials.all():
            if record.payload.get("id") == credential_id and "proof" in record.payload:
                return record.payload
        return None

    def everyone(self) -> tuple[tuple[Credential, str], ...]:
        """Every signed credential on this box with its holder's name (admin view)."""
        names = {u.user_id: u.display_name for u in self._store.users.list()}
        records = [c for c in self._store.credentials.all() if "proof" in c.payload]
        return tuple((c, names.get(c.learner_id, c.learner_id)) for c in records)

    def revoke(self, actor_id: str, record_id: str, reason: str) -> Credential:
        """Revoke a credential with a reason (audited), then re-sign the status list.

        :raises CredentialNotFound: no such credential.
        :raises ServiceError: no reason given, or already revoked.
        """
        if not reason.strip():
            raise ServiceError("Give a reason for revoking.")
        try:
            current = self._store.credentials.get(record_id)
        except (NotFound, InvalidInput) as err:
            raise CredentialNotFound(f"No credential {record_id!r}.") from err
        if current is None:
            raise CredentialNotFound(f"No credential {record_id!r}.")
        if current.revoked_at is not None:
            raise ServiceError("That credential is already revoked.")
        try:
            with self._store.transaction():
                record = self._store.credentials.revoke(record_id, reason.strip())
                self._store.audit.record(
                    actor_id,
                    "credential.revoke",
                    record_id,
                    {"reason": reason.strip(), "credential": record.credential_id},
                )
                self._store.outbox.append(
                    "credential.revoked", {"credential_id": record.credential_id}, subject=record.learner_id
                )
        except (NotFound, InvalidInput) as err:
            raise CredentialNotFound(f"No credential {record_id!r}.") from err
        self.site.status.publish()
        return record

    def status_list(self, name: str) -> dict[str, Any] | None:
        """This site's signed status list, if ``name`` is its file name."""
        return self.site.status.current() if name == self.site.status.name else None

    def verify(self, data: str | bytes, trusted_hubs: frozenset[str] = frozenset()) -> Verification:
        """Verify pasted JSON, an uploaded JSON file or a baked PNG, offline."""
        if isinstance(data, bytes) and data.startswith(_PNG):
            try:
                data = unbake(data)
            except MalformedCredential as err:
                return Verification((Check("json", False, str(err)),))
        return self.site.verifier(trusted_hubs).verify(data)
