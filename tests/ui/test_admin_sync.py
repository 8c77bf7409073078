"""The admin's sync page tells the truth before enrollment, and only admins reach it."""

from __future__ import annotations

from nicegui.testing import User

from tests.ui.conftest import ADMIN_PIN, NURSE_PIN, provision, sign_in


async def test_an_unenrolled_box_says_so_and_sync_now_is_harmless(user: User) -> None:
    provision()
    await sign_in(user, "A100", ADMIN_PIN)
    await user.open("/admin/sync")
    await user.should_see("Not enrolled with a hub yet", retries=30)
    user.find(marker="sync-now").click()
    await user.should_see("Sync requested")


async def test_a_learner_cannot_open_the_sync_page(user: User) -> None:
    provision()
    await sign_in(user, "N200", NURSE_PIN)
    await user.open("/admin/sync")
    await user.should_see("That page needs another role.")
