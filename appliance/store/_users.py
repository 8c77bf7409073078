"""Staff accounts: who may sign in, with which roles; PIN hashes are opaque strings from the auth layer."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import ValidationError

from appliance.store._errors import AlreadyExists, ConcurrentUpdate, InvalidInput, NotFound
from appliance.store._layout import USERS, check_learner_id, new_user_id
from appliance.store._records import RoleName, User
from appliance.store._repo import Repository
from appliance.store.engine import KeyedTable


class _Unset(Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET
"""Marks "leave unchanged" for fields that may legitimately be set to None."""


def build(model: type[Any], data: dict[str, Any]) -> Any:
    """Validate a record, turning a validation error into :class:`InvalidInput`."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise InvalidInput(
            f"invalid {model.__name__}: {err.errors()[0]['msg']} at {err.errors()[0]['loc']}"
        ) from err


class Users(Repository):
    """Staff accounts."""

    def _users(self) -> KeyedTable:
        return self._table(USERS, "users")

    def create(
        self,
        staff_id: str,
        display_name: str,
        roles: tuple[RoleName, ...] = ("learner",),
        *,
        pin_hash: str | None = None,
        job_role: str | None = None,
        user_id: str | None = None,
    ) -> User:
        """Add a member of staff.

        :raises AlreadyExists: the staff id (or user id) is taken.
        :raises InvalidInput: an invalid field.
        """
        user_id = check_learner_id(user_id) if user_id is not None else new_user_id()
        with self._write():
            if self.by_staff_id(staff_id) is not None:
                raise AlreadyExists(f"staff id {staff_id!r} is already registered")
            if self._users().doc(user_id) is not None:
                raise AlreadyExists(f"user id {user_id!r} is taken")
            now = self._now()
            user = build(
                User,
                {
                    "user_id": user_id,
                    "staff_id": staff_id.strip(),
                    "display_name": display_name.strip(),
                    "roles": tuple(roles),
                    "job_role": job_role,
                    "pin_hash": pin_hash,
                    "created_at": now,
                    "updated_at": now,
                },
            )
            self._users().put(user_id, user.model_dump(mode="json"))
        return user

    def get(self, user_id: str) -> User | None:
        """The user with this id, or None."""
        doc = self._users().doc(user_id)
        return User.model_validate(doc) if doc is not None else None

    def by_staff_id(self, staff_id: str) -> User | None:
        """The user with this staff id (compared without surrounding spaces), or None."""
        wanted = staff_id.strip()
        for doc in self._users().docs():
            if doc["staff_id"] == wanted:
                return User.model_validate(doc)
        return None

    def list(self, *, role: RoleName | None = None, active: bool | None = None) -> tuple[User, ...]:
        """Users, by display name, optionally only those with a role or an active flag."""
        users = [User.model_validate(doc) for doc in self._users().docs()]
        users = [
            u for u in users if (role is None or role in u.roles) and (active is None or u.active is active)
        ]
        return tuple(sorted(users, key=lambda u: (u.display_name.lower(), u.user_id)))

    def update(
        self,
        user_id: str,
        *,
        display_name: str | None = None,
        roles: tuple[RoleName, ...] | None = None,
        job_role: str | _Unset | None = UNSET,
        pin_hash: str | _Unset | None = UNSET,
        active: bool | None = None,
        failed_attempts: int | None = None,
        locked_until: datetime | _Unset | None = UNSET,
        expected_revision: int | None = None,
    ) -> User:
        """Change some fields of a user; pass ``expected_revision`` to refuse a concurrent edit.

        :raises NotFound: no such user.
        :raises ConcurrentUpdate: the user changed since ``expected_revision``.
        :raises InvalidInput: an invalid field.
        """
        with self._write():
            doc = self._users().doc(user_id)
            if doc is None:
                raise NotFound(f"no user {user_id!r}")
            if expected_revision is not None and doc["revision"] != expected_revision:
                raise ConcurrentUpdate(
                    f"user {user_id} is at revision {doc['revision']}, not {expected_revision}; reload it"
                )
            changes: dict[str, Any] = {
                "display_name": display_name,
                "roles": roles,
                "active": active,
                "failed_attempts": failed_attempts,
            }
            new = {**doc, **{k: v for k, v in changes.items() if v is not None}}
            for key, value in (
                ("job_role", job_role),
                ("pin_hash", pin_hash),
                ("locked_until", locked_until),
            ):
                if value is not UNSET:
                    new[key] = value
            new["updated_at"] = self._now()
            new["revision"] = doc["revision"] + 1
            user = build(User, new)
            self._users().put(user_id, user.model_dump(mode="json"))
        return user
