"""Earned badges and credentials, one small shard per learner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from appliance.store._errors import NotFound
from appliance.store._layout import (
    CREDENTIALS,
    USERS,
    credential_learner,
    learner_credentials,
    new_credential_id,
)
from appliance.store._records import Credential
from appliance.store._repo import Repository
from appliance.store.engine import KeyedTable


class Credentials(Repository):
    """Credentials issued to learners."""

    def _credentials(self, learner_id: str) -> KeyedTable:
        return self._table(learner_credentials(learner_id), "credentials")

    def issue(
        self,
        learner_id: str,
        credential_id: str,
        level: str,
        payload: dict[str, Any],
        *,
        issued_at: datetime | None = None,
        expires_at: datetime | None = None,
    ) -> Credential:
        """Record a credential a learner earned (``payload`` is the signed document).

        :raises NotFound: no such learner.
        """
        with self._write():
            if self._table(USERS, "users").doc(learner_id) is None:
                raise NotFound(f"no user {learner_id!r}")
            credential = Credential(
                record_id=new_credential_id(learner_id),
                learner_id=learner_id,
                credential_id=credential_id,
                level=level,
                issued_at=issued_at or self._now(),
                expires_at=expires_at,
                payload=payload,
            )
            self._credentials(learner_id).put(credential.record_id, credential.model_dump(mode="json"))
        return credential

    def get(self, record_id: str) -> Credential | None:
        """The credential record with this id, or None."""
        doc = self._credentials(credential_learner(record_id)).doc(record_id)
        return Credential.model_validate(doc) if doc else None

    def for_learner(self, learner_id: str) -> tuple[Credential, ...]:
        """A learner's credentials, newest first."""
        docs = sorted(self._credentials(learner_id).docs(), key=lambda d: d["issued_at"], reverse=True)
        return tuple(Credential.model_validate(d) for d in docs)

    def all(self) -> tuple[Credential, ...]:
        """Every credential on this appliance, by learner then newest first."""
        shards = [s for s in self._core.shards("learners/") if s.kind == CREDENTIALS]
        return tuple(c for s in shards for c in self.for_learner(s.name.split("/")[1]))

    def revoke(self, record_id: str, reason: str) -> Credential:
        """Revoke a credential (kept, marked revoked).

        :raises NotFound: no such credential.
        """
        table = self._credentials(credential_learner(record_id))
        with self._write():
            doc = table.doc(record_id)
            if doc is None:
                raise NotFound(f"no credential {record_id!r}")
            credential = Credential.model_validate(
                {**doc, "revoked_at": self._now(), "revoked_reason": reason}
            )
            table.put(record_id, credential.model_dump(mode="json"))
        return credential
