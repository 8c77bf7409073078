"""Accounts and sign-in over the store: first-run provisioning, PIN sign-in with lockout, admin actions.

``provision`` is the one code path behind the setup page, ``appliance provision`` and a first-boot file.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

from appliance.auth import (
    AlreadyProvisioned,
    AuthError,
    BadCredentials,
    BadSetupCode,
    LockedOut,
    NotPermitted,
    Role,
    SignInThrottle,
    check_pin_rules,
    hash_pin,
    pin_needs_rehash,
    require_role,
    verify_pin,
)
from appliance.keys import KeyKitExists, RecoveryKey, make_key_kit
from appliance.services._views import AccountView
from appliance.store import AlreadyExists, Store, User
from appliance.store.records import AuditEntry, SettingKey

_SETUP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a console
_SETUP_CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}")
ALL_ROLES = (Role.LEARNER, Role.AUTHOR, Role.REVIEWER, Role.ADMIN)


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Provisioned:
    """A freshly set-up site: its first administrator and, once, the backup recovery key to show."""

    admin: AccountView
    recovery_key: RecoveryKey | None


class AuthService:
    """Sign-in, accounts and setup; every privileged action is written to the audit log."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime] = _utcnow,
        on_user_signed_out: Callable[[str], None] | None = None,
        throttle: SignInThrottle | None = None,
        setup_code_file: Path | None = None,
        data_dir: Path | None = None,
    ) -> None:
        self._store = store
        self._setup_code_file = setup_code_file
        self._data_dir = data_dir
        self._throttle = throttle or SignInThrottle()
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

    def setup_code(self) -> str | None:
        """The one-time first-run setup code (made on first call, 0600 in the data folder); None once set up.

        It is shown on the box's console (``appliance serve``, ``appliance setup-code``) so that only someone
        at the box, not the first stranger on the ward LAN, can claim it.
        """
        if self.is_provisioned() or self._setup_code_file is None:
            return None
        path = self._setup_code_file
        if path.exists():
            code = path.read_text(encoding="ascii").strip()
            if _SETUP_CODE.fullmatch(code):
                return code
        raw = "".join(secrets.choice(_SETUP_ALPHABET) for _ in range(8))
        code = f"{raw[:4]}-{raw[4:]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(code + "\n")
        return code

    def provision(
        self,
        site_name: str,
        staff_id: str,
        display_name: str,
        pin: str,
        *,
        setup_code: str | None = None,
        source: str | None = None,
    ) -> User:
        """Name the site and create the first administrator.

        From the network (``source`` given) the one-time setup code must match; at the box's console
        (``appliance provision``, a first-boot file) no code is needed.

        :raises AlreadyProvisioned: setup was done before.
        :raises BadSetupCode: the setup code is wrong (tries are throttled per source).
        :raises WeakPin: the PIN breaks the rules.
        :raises AuthError: a required field is empty.
        """
        if self.is_provisioned():
            raise AlreadyProvisioned("This appliance is already set up; sign in as an administrator.")
        if source is not None:
            self._check_setup_code(setup_code or "", source)
        if not site_name.strip() or not staff_id.strip() or not display_name.strip():
            raise AuthError("Site name, staff ID and name are all needed.")
        check_pin_rules(pin)
        user = self._store.users.create(staff_id, display_name, ALL_ROLES, pin_hash=hash_pin(pin))
        self._store.settings.set(SettingKey.SITE_NAME, site_name.strip())
        self._store.settings.set(SettingKey.SETUP_COMPLETED, True)
        self._store.audit.record(
            user.user_id, "provision", target=site_name.strip(), details={"source": source}
        )
        self._provisioned = True
        if self._setup_code_file is not None:
            self._setup_code_file.unlink(missing_ok=True)
        return user

    def provision_site(
        self,
        site_name: str,
        staff_id: str,
        display_name: str,
        pin: str,
        *,
        setup_code: str | None = None,
        source: str | None = None,
    ) -> Provisioned:
        """Provision (see :meth:`provision`) and make the backup key kit; the recovery key is returned once.

        The setup page, ``appliance provision`` and a first-boot file all come through here.

        :raises AuthError: as :meth:`provision`.
        """
        user = self.provision(site_name, staff_id, display_name, pin, setup_code=setup_code, source=source)
        key = None
        if self._data_dir is not None:
            try:
                key = make_key_kit(self._data_dir)
            except KeyKitExists:
                key = None  # IT made one before setup (appliance backup-key); that one stays
        return Provisioned(self.account(user), key)

    def _check_setup_code(self, given: str, source: str) -> None:
        verdict = self._throttle.check("#setup", source)
        if not verdict.allowed:
            raise LockedOut(verdict.retry_after)
        expected = self.setup_code() or ""
        cleaned = given.strip().upper().replace(" ", "")
        if not expected or not secrets.compare_digest(cleaned.replace("-", ""), expected.replace("-", "")):
            verdict = self._throttle.failed("#setup", source)
            self._store.audit.record("system", "setup-code-wrong", target=source, details={"source": source})
            if not verdict.allowed:
                raise LockedOut(verdict.retry_after)
            raise BadSetupCode()

    # -- sign-in -------------------------------------------------------------------------------------
    def is_locked(self, user: User) -> bool:
        """True while the account is locked after failures."""
        return user.locked_until is not None and user.locked_until > self._clock()

    def sign_in(self, staff_id: str, pin: str, source: str = "local") -> User:
        """Check a staff ID and PIN tried from ``source`` (the client's address).

        Throttling is per source and per (account, source), with decay (see :class:`SignInThrottle`): a spray
        from one address slows that address only. Unknown and known staff IDs are answered alike.

        :raises LockedOut: this source (or, after tries from several sources, the account) must wait.
        :raises BadCredentials: unknown, inactive or wrong PIN (never says which).
        """
        staff_id = staff_id.strip()[:64]
        user = self._store.users.by_staff_id(staff_id) if staff_id else None
        lockable = user is None or Role.ADMIN.value not in {str(r) for r in user.roles}
        verdict = self._throttle.check(staff_id, source, lockable=lockable)
        if not verdict.allowed:
            verify_pin(None, pin)  # the same cost as a real check, so timing tells nothing either
            raise LockedOut(verdict.retry_after)
        if user is not None and lockable and self.is_locked(user):
            assert user.locked_until is not None
            verify_pin(None, pin)
            raise LockedOut((user.locked_until - self._clock()).total_seconds())
        usable = user is not None and user.active
        if not verify_pin(user.pin_hash if usable and user else None, pin):
            self._failed(staff_id, user, source, lockable)
        assert user is not None
        self._throttle.succeeded(staff_id, source)
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

    def _failed(self, staff_id: str, user: User | None, source: str, lockable: bool) -> NoReturn:
        """Count a failed try everywhere it counts, audit it, and raise what the caller is told."""
        before = self._throttle.check(staff_id, source, lockable=lockable)
        verdict = self._throttle.failed(staff_id, source, lockable=lockable)
        if verdict.reason == "source" and before.allowed:
            self._store.audit.record("system", "sign-in-throttled", target=source, details={"source": source})
        if user is not None:
            failures = user.failed_attempts + 1
            account_wide = (
                lockable and verdict.reason == "account" and self._throttle.account_locked(staff_id)
            )
            self._store.users.update(
                user.user_id,
                failed_attempts=failures,
                locked_until=self._clock() + timedelta(seconds=verdict.retry_after) if account_wide else None,
            )
            self._store.audit.record(
                user.user_id, "sign-in-failed", details={"failures": failures, "source": source}
            )
        if not verdict.allowed:
            raise LockedOut(verdict.retry_after)
        raise BadCredentials()

    def authenticate(self, staff_id: str, pin: str, source: str) -> AccountView:
        """Check a staff ID and PIN from ``source``; return the account as pages may see it.

        :raises LockedOut: held back (see :meth:`sign_in`).
        :raises BadCredentials: unknown, inactive or wrong PIN.
        """
        return self.account(self.sign_in(staff_id, pin, source))

    def account(self, user: User) -> AccountView:
        """The page-safe view of an account."""
        return AccountView(
            user.user_id,
            user.staff_id,
            user.display_name,
            tuple(str(r) for r in user.roles),
            user.job_role,
            user.active,
            user.failed_attempts,
            self.is_locked(user),
        )

    def accounts(self) -> tuple[AccountView, ...]:
        """Every account, by name, as pages may see them."""
        return tuple(self.account(u) for u in self._store.users.list())

    def is_locked_from(self, staff_id: str, source: str) -> bool:
        """True while sign-in for ``staff_id`` from ``source`` is held back."""
        return not self._throttle.check(staff_id, source).allowed

    def sign_in_alerts(self, limit: int = 20) -> tuple[AuditEntry, ...]:
        """Recent throttled sources and failed sign-ins, newest first, for the admin page."""
        wanted = {"sign-in-throttled"}
        entries = [e for e in self._store.audit.entries() if e.action in wanted]
        return tuple(reversed(entries[-limit:]))

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
            roles_typed = tuple(Role(r) for r in (roles or ("learner",)))
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
        self._throttle.forgive(user.staff_id)
        self._store.audit.record(actor_id, "reset-pin", target=user.user_id)
        self._signed_out(user.user_id)
        return user

    def unlock(self, actor_id: str, staff_id: str) -> User:
        """Clear a lockout (admins only).

        :raises NotPermitted: the actor is not an admin.
        """
        self._admin(actor_id)
        user = self._store.users.update(self._target(staff_id).user_id, failed_attempts=0, locked_until=None)
        self._throttle.forgive(user.staff_id)
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

    def set_roles(
        self, actor_id: str, staff_id: str, roles: tuple[str, ...], hospital_role: str | None
    ) -> User:
        """Change an account's appliance roles and hospital role (admins only); signs it out everywhere.

        :raises NotPermitted: the actor is not an admin, or would remove their own admin role.
        :raises AuthError: no roles, or an unknown role.
        """
        actor = self._admin(actor_id)
        target = self._target(staff_id)
        if not roles:
            raise AuthError("Give the account at least one role.")
        try:
            typed = tuple(Role(r) for r in roles)
        except ValueError as err:
            raise AuthError(f"Unknown role: {err}") from err
        if target.user_id == actor.user_id and Role.ADMIN not in typed:
            raise NotPermitted("You cannot remove your own administrator role.")
        user = self._store.users.update(target.user_id, roles=typed, job_role=hospital_role)
        self._store.audit.record(
            actor_id,
            "set-roles",
            target=user.user_id,
            details={"roles": list(roles), "job_role": hospital_role},
        )
        self._signed_out(user.user_id)
        return user
