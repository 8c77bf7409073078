"""``/verify``: anyone on the ward network checks a credential offline: paste JSON or upload a JSON/PNG."""

from __future__ import annotations

import json

from nicegui import events, ui

from appliance.credentials import Verification
from appliance.ui._context import io_bound, services
from appliance.ui._frame import frame
from appliance.ui.widgets.verification import verification_result

MAX_UPLOAD = 2_000_000


async def verify_page(credential: str | None = None) -> None:
    """Verify a pasted, uploaded or QR-linked (``?credential=<id>``) credential; no sign-in needed."""
    svc = services()
    with frame("Verify a credential", svc.site_name()):
        ui.label(
            "Checks the signature, the Open Badges 3.0 schema, the dates and the issuer's revocation list, "
            "on this device: nothing is sent anywhere."
        ).classes("text-grey-8")
        result_area = ui.column().classes("w-full")

        async def show(data: str | bytes) -> None:
            result: Verification = await io_bound(svc.credentials.verify, data)
            result_area.clear()
            with result_area:
                verification_result(result)

        pasted = ui.textarea("Paste the credential JSON").classes("w-full").props("outlined rows=8")
        pasted.mark("verify-json")
        ui.button("Verify", icon="verified", on_click=lambda: show(pasted.value or "")).mark("verify-button")

        async def uploaded(event: events.UploadEventArguments) -> None:
            await show(await event.file.read())

        ui.upload(
            label="…or upload a credential (.json) or a baked badge (.png)",
            on_upload=uploaded,
            auto_upload=True,
            max_file_size=MAX_UPLOAD,
        ).props('accept=".json,.png,application/json,image/png"').classes("w-full").mark("verify-upload")
        if credential:
            document = await io_bound(svc.credentials.by_credential_id, credential)
            if document is None:
                with result_area:
                    ui.label("No credential with that id was issued here.").classes("text-negative").mark(
                        "verify-unknown"
                    )
            else:
                await show(json.dumps(document))
