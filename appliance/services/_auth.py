"""Accounts and sign-in over the store: first-run provisioning, PIN sign-in with lockout, admin actions.

``provision`` is the one code path behind the setup page, ``appliance provision`` and a first-boot file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from appliance.auth import (
    AlreadyProvisioned,
    AuthError,
    BadCredentials,
    LockedOut,
    LockoutPolicy,
    NotPermitted,
    Role,
    check_pin_rules,
    hash_pin,
    pin_needs_rehash,
    require_role,
    verify_pin,
)
from appliance.store import AlreadyExists, SettingKey, Store, User, UserRole

ALL_ROLES = (UserRole.LEARNER, UserRole.AUTHOR, UserRole.REVIEWER, UserRole.ADMIN)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class AuthService:
    """Sign-in, accounts and setup; every privileged action is written to the audit log."""

    def __init__(
        self,
        store: Store,
        policy: LockoutPolicy | None = None,
        clock: Callable[[], datetime] = _utcnow,
        on_user_signed_out: Callable[[str], None] | None = None,
    ) -> None:
        self._store = store
        self._policy = policy or LockoutPolicy()
        self._clock = clock
        self._signed_out = on_user_signed_out or (lambda _user_id: None)
        self._provisioned = bool(store.settings.get(SettingKey.SETUP_COMPLETED, False))

    # -- setup ---------------------------------------------------------------------------------------
    def is_provisioned(self) -> bool:
        """True once a site name and the first administrator exist."""
        return self._provisioned

    def site_name(self, default: str = "Ward training") -> str:
        """The site's name as set at provisioning."""
        return str(self._store.settings.get(SettingKey.SITE_NAME, default))

    def session_secret(self) -> str:
        """This device's secret for signing browser cookies, generated on first use and kept in the store."""
        return self._store.settings.secret(SettingKey.SESSION_SECRET)

    def provision(self, site_name: str, staff_id: str, display_name: str, pin: str) -> User:
        """Name the site and create the first administrator.

        :raises AlreadyProvisioned: setup was done before.
        :raises WeakPin: the PIN breaks the rules.
        :raises AuthError: a required field is empty.
        """
        if self.is_provisioned():
            raise AlreadyProvisioned("This appliance is already set up; sign in as an administrator.")
        if not site_name.strip() or not staff_id.strip() or not display_name.strip():
            raise AuthError("Site name, staff ID and name are all needed.")
        check_pin_rules(pin)
        user = self._store.users.create(staff_id, display_name, ALL_ROLES, pin_hash=hash_pin(pin))
        self._store.settings.set(SettingKey.SITE_NAME, site_name.strip())
        self._store.settings.set(SettingKey.SETUP_COMPLETED, True)
        self._store.audit.record(user.user_id, "provision", target=site_name.strip())
        self._provisioned = True
        return user

    # -- sign-in -------------------------------------------------------------------------------------
    def is_locked(self, user: User) -> bool:
        """True while the account is locked after failures."""
        return user.locked_until is not None and user.locked_until > self._clock()

    def sign_in(self, staff_id: str, pin: str) -> User:
        """Check a staff ID and PIN.

        :raises LockedOut: the account is locked; says for how long.
        :raises BadCredentials: unknown, inactive or wrong PIN (never says which).
        """
        user = self._store.users.by_staff_id(staff_id) if staff_id.strip() else None
        now = self._clock()
        if user is not None and self.is_locked(user):
            assert user.locked_until is not None
            raise LockedOut((user.locked_until - now).total_seconds())
        usable = user is not None and user.active
        if not verify_pin(user.pin_hash if usable and user else None, pin):
            if user is not None:
                failures = user.failed_attempts + 1
                lock = self._policy.lock_seconds(failures)
                self._store.users.update(
                    user.user_id,
                    failed_attempts=failures,
                    locked_until=now + timedelta(seconds=lock) if lock else None,
                )
                self._store.audit.record(user.user_id, "sign-in-failed", details={"failures": failures})
                if lock:
                    raise LockedOut(lock)
            raise BadCredentials()
        assert user is not None
        if user.failed_attempts or user.locked_until or (user.pin_hash and pin_needs_rehash(user.pin_hash)):
            user = self._store.users.update(
                user.user_id,
                failed_attempts=0,
                locked_until=None,
                pin_hash=hash_pin(pin)
                if user.pin_hash and pin_needs_rehash(user.pin_hash)
                else user.pin_hash,
            )
        return user

    # -- administration ------------------------------------------------------------------------------
    def _admin(self, actor_id: str) -> User:
        actor = self._store.users.get(actor_id)
        if actor is None or not actor.active:
            raise NotPermitted("Sign in again.")
        require_role(actor.roles, Role.ADMIN)
        return actor

    def _target(self, staff_id: str) -> User:
        user = self._store.users.by_staff_id(staff_id)
        if user is None:
            raise AuthError(f"No user with staff ID {staff_id!r}.")
        return user

    def list_users(self) -> tuple[User, ...]:
        """Every account, by name."""
        return self._store.users.list()

    def create_user(
        self,
        actor_id: str,
        staff_id: str,
        display_name: str,
        roles: tuple[str, ...],
        hospital_role: str | None,
        pin: str,
    ) -> User:
        """Add an account (admins only).

        :raises NotPermitted: the actor is not an admin.
        :raises WeakPin: the starting PIN breaks the rules.
        :raises AuthError: a field is missing or the staff ID is taken.
        """
        self._admin(actor_id)
        if not staff_id.strip() or not display_name.strip():
            raise AuthError("Staff ID and name are needed.")
        check_pin_rules(pin)
        try:
            roles_typed = tuple(UserRole(r) for r in (roles or ("learner",)))
        except ValueError as err:
            raise AuthError(f"Unknown role: {err}") from err
        try:
            user = self._store.users.create(
                staff_id, display_name, roles_typed, pin_hash=hash_pin(pin), job_role=hospital_role
            )
        except AlreadyExists as err:
            raise AuthError(f"Staff ID {staff_id!r} is already registered.") from err
        self._store.audit.record(
            actor_id,
            "create-user",
            target=user.user_id,
            details={"roles": list(roles), "job_role": hospital_role},
        )
        return user

    def reset_pin(self, actor_id: str, staff_id: str, pin: str) -> User:
        """Set a new PIN and clear any lockout (admins only); signs the user out everywhere.

        :raises NotPermitted: the actor is not an admin.
        :raises WeakPin: the PIN breaks the rules.
        """
        self._admin(actor_id)
        check_pin_rules(pin)
        user = self._store.users.update(
            self._target(staff_id).user_id, pin_hash=hash_pin(pin), failed_attempts=0, locked_until=None
        )
        self._store.audit.record(actor_id, "reset-pin", target=user.user_id)
        self._signed_out(user.user_id)
        return user

    def unlock(self, actor_id: str, staff_id: str) -> User:
        """Clear a lockout (admins only).

        :raises NotPermitted: the actor is not an admin.
        """
        self._admin(actor_id)
        user = self._store.users.update(self._target(staff_id).user_id, failed_attempts=0, locked_until=None)
        self._store.audit.record(actor_id, "unlock", target=user.user_id)
        return user

    def set_active(self, actor_id: str, staff_id: str, active: bool) -> User:
        """Activate or deactivate an account (admins only); deactivating signs it out.

        :raises NotPermitted: the actor is not an admin, or tries to deactivate themselves.
        """
        actor = self._admin(actor_id)
        target = self._target(staff_id)
        if target.user_id == actor.user_id and not active:
            raise NotPermitted("You cannot deactivate your own account.")
        user = self._store.users.update(target.user_id, active=active)
        self._store.audit.record(actor_id, "activate" if active else "deactivate", target=user.user_id)
        if not active:
            self._signed_out(user.user_id)
        return user
