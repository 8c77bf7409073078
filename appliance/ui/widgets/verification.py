"""Shows a verification outcome: a headline, each check with a tick or a cross, and what was verified."""

from __future__ import annotations

from nicegui import ui

from appliance.credentials import Verification


def verification_result(result: Verification) -> None:
    """Draw ``result`` (marked ``verify-result``; each check ``check-<name>``)."""
    with ui.card().classes("w-full").mark("verify-result"):
        if result.valid:
            ui.label("Valid credential").classes("text-h6 text-positive").mark("verify-valid")
        else:
            failed = result.failed.name if result.failed else "?"
            ui.label(f"Not valid: the {failed} check failed").classes("text-h6 text-negative").mark(
                "verify-invalid"
            )
        doc = result.document or {}
        subject = doc.get("credentialSubject", {}) if isinstance(doc, dict) else {}
        achievement = subject.get("achievement", {}) if isinstance(subject, dict) else {}
        issuer = doc.get("issuer", {}) if isinstance(doc, dict) else {}
        if isinstance(achievement, dict) and achievement.get("name"):
            ui.label(f"{achievement.get('name')} ({achievement.get('achievementType', '')})").classes(
                "text-lg"
            )
        if isinstance(issuer, dict) and issuer.get("name"):
            ui.label(f"Issued by {issuer.get('name')}").classes("text-grey-8")
        for check in result.checks:
            with ui.row().classes("items-start gap-2 no-wrap").mark(f"check-{check.name}"):
                ui.icon(
                    "check_circle" if check.passed else "cancel",
                    color="positive" if check.passed else "negative",
                )
                ui.label(f"{check.name}: {check.detail}").classes("break-all")
