"""First-run setup, sign-in, lockout, inactivity sign-out and server-side role checks."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from appliance.auth import AuthError, SessionManager
from tests.ui.conftest import ADMIN_PIN, NURSE_PIN, provision, sign_in, svc


async def test_first_visit_goes_to_setup_and_creates_the_first_admin(user: User) -> None:
    await user.open("/")
    await user.should_see("Set up this appliance")
    user.find(marker="setup-code").type(svc().auth.setup_code() or "")
    user.find("Administrator staff ID").type("A100")
    user.find("Administrator name").type("Ada Admin")
    user.find("PIN (6-12 digits)").type(ADMIN_PIN)
    user.find("PIN again").type(ADMIN_PIN)
    user.find(marker="setup-submit").click()
    await user.should_see("backup recovery key", retries=50)  # the backup recovery key, shown once
    user.find(marker="recovery-key-kept").click()
    await user.should_see("Users", retries=30)
    assert (svc().settings.data_dir / "keys" / "backup-recipient").exists()
    assert svc().auth.is_provisioned()
    admin = svc().store.users.by_staff_id("A100")
    assert admin is not None and admin.pin_hash and admin.pin_hash.startswith("$argon2id$")
    assert [e.action for e in svc().store.audit.entries()][-1] == "provision"


async def test_setup_refuses_a_weak_pin(user: User) -> None:
    await user.open("/setup")
    user.find(marker="setup-code").type(svc().auth.setup_code() or "")
    user.find("Administrator staff ID").type("A100")
    user.find("Administrator name").type("Ada")
    user.find("PIN (6-12 digits)").type("123456")
    user.find("PIN again").type("123456")
    user.find(marker="setup-submit").click()
    await user.should_see("run of digits")
    assert not svc().auth.is_provisioned()


async def test_nurse_signs_in_and_sees_modules_for_her_role(user: User) -> None:
    provision()
    await sign_in(user, "N200", NURSE_PIN)
    await user.should_see("Your training")
    await user.should_see("AI safety in clinical environments")
    await user.should_see("Nursing AI workflows")
    await user.should_see("Nia Nurse")


async def test_wrong_pin_floods_lock_the_account_with_back_off(user: User) -> None:
    provision()
    for _ in range(4):
        await sign_in(user, "N200", "999999", expect_success=False)
        await user.should_see("Staff ID or PIN not recognised.", retries=50)
    await sign_in(user, "N200", "999999", expect_success=False)
    await user.should_see("Too many attempts", retries=50)
    await sign_in(user, "N200", NURSE_PIN, expect_success=False)  # the right PIN does not help while locked
    await user.should_see("Too many attempts", retries=50)
    nurse = svc().store.users.by_staff_id("N200")
    assert nurse is not None and nurse.failed_attempts == 5
    # Held back from this address only: the same nurse on another tablet is not locked out (issue 8).
    assert svc().auth.is_locked_from("N200", "127.0.0.1") and not svc().auth.is_locked(nurse)
    assert svc().auth.sign_in("N200", NURSE_PIN, source="10.0.0.7").staff_id == "N200"


async def test_admin_unlock_lets_the_nurse_back_in(user: User) -> None:
    admin, _ = provision()
    for _ in range(5):
        with pytest.raises(AuthError):
            svc().auth.sign_in("N200", "999999")
    svc().auth.unlock(admin.user_id, "N200")
    await sign_in(user, "N200", NURSE_PIN)
    await user.should_see("Your training")
    actions = [e.action for e in svc().store.audit.entries()]
    assert "unlock" in actions and actions.count("sign-in-failed") == 5


async def test_inactive_session_is_signed_out(user: User) -> None:
    provision()
    now = [0.0]
    svc().sessions = SessionManager(timeout_seconds=300, clock=lambda: now[0])
    await sign_in(user, "N200", NURSE_PIN)
    await user.should_see("Your training")
    now[0] = 301
    await user.open("/")
    await user.should_see("Sign in")
    await user.should_see(marker="staff-id")


async def test_learner_cannot_open_the_admin_page_by_url(user: User) -> None:
    provision()
    await sign_in(user, "N200", NURSE_PIN)
    await user.should_see("Your training")
    await user.open("/admin/users")
    await user.should_see("That page needs another role.")
    await user.should_not_see(marker="users-table")


async def test_signed_out_visitor_is_sent_to_sign_in(user: User) -> None:
    provision()
    for path in ("/", "/admin/users", "/play/ai-safety-sepsis/quiet-alert"):
        await user.open(path)
        await user.should_see(marker="sign-in")


async def test_admin_adds_a_user_and_resets_a_pin(user: User) -> None:
    provision()
    await sign_in(user, "A100", ADMIN_PIN)
    await user.should_see("Your training")
    await user.open("/admin/users")
    await user.should_see(marker="users-table")
    user.find(marker="new-staff-id").type("P300")
    user.find(marker="new-name").type("Pat Pharmacist")
    user.find(marker="new-pin").type("730184")
    user.find(marker="add-user-submit").click()
    await user.should_see("Added P300.")
    user.find(marker="target-staff-id").type("N200")
    user.find(marker="reset-pin").type("615273")
    user.find(marker="reset-pin-submit").click()
    await user.should_see("PIN reset for N200.")
    assert svc().auth.sign_in("N200", "615273").staff_id == "N200"
    assert {"create-user", "reset-pin"} <= {e.action for e in svc().store.audit.entries()}
