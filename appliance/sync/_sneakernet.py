"""The site's side of sneakernet: export pending records to a pack, import the hub's pack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from appliance.store import Store
from appliance.sync._bundle import Bundle
from appliance.sync._install import Installer
from appliance.sync._pack import check_pack, read_pack, write_pack
from appliance.sync._stages import CHUNK_EVENTS, keep_notices, verify_notice, wire_event
from appliance.sync._state import SiteFiles
from appliance.sync._wire import EventChunk, Notice

MAX_PACK_EVENTS = 200_000


@dataclass(frozen=True)
class ImportReport:
    """What importing a hub pack changed on the site."""

    installed_bundle: int | None
    acknowledged: int
    notices: int


def export_records(store: Store, path: Path, *, since: int | None = None) -> int:
    """Write the events the hub has not acknowledged (at most :data:`MAX_PACK_EVENTS`) to a signed pack.

    :param since: start after this sequence number instead of the acknowledged cursor.
    :raises NotEnrolled: the site has no enrollment (its key must be known to the hub).
    """
    files = SiteFiles(store.data_dir)
    identity = files.identity()
    position = store.outbox.acknowledged if since is None else since
    chunks = []
    count = 0
    while count < MAX_PACK_EVENTS:
        events = store.outbox.after(position, CHUNK_EVENTS)
        if not events:
            break
        chunks.append(
            EventChunk(epoch=store.store_id, events=tuple(wire_event(e) for e in events)).model_dump(
                mode="json"
            )
        )
        position = events[-1].seq
        count += len(events)
    write_pack(
        path,
        files.key(),
        "records",
        identity.site_id,
        {"site_id": identity.site_id, "epoch": store.store_id, "chunks": chunks},
    )
    return count


def import_hub_pack(
    store: Store, path: Path, *, on_notice: Callable[[Notice], object] | None = None
) -> ImportReport:
    """Verify a hub pack against the pinned hub key, then install its bundle, keep its notices and move the
    cursor to what the hub acknowledged for this store.

    :raises BundleSignatureInvalid: the pack or its bundle is not the trusted hub's.
    :raises BundleStale: its bundle is expired or older than the installed one.
    """
    files = SiteFiles(store.data_dir)
    identity = files.identity()
    pack = read_pack(path, "hub")
    check_pack(pack, identity.hub_key)
    installed = None
    if pack.body.get("bundle"):
        installer = Installer(store.data_dir, on_module=store.curriculum.publish)
        current = installer.installed()
        bundle = Bundle.from_json(pack.body["bundle"])
        if current is None or bundle.manifest.version > current.version:
            installed = installer.install(bundle, identity.hub_key, now=datetime.now(UTC)).version
    notices = [Notice.model_validate(n) for n in pack.body.get("notices", [])]
    status = files.status()
    fresh = [n for n in notices if n.seq > status.notices_seen]
    for notice in fresh:
        verify_notice(notice, identity.hub_key)
    keep_notices(files, fresh, on_notice)
    ack = int(pack.body.get("cursors", {}).get(identity.site_id, {}).get(store.store_id, 0))
    if ack > store.outbox.last_seq:
        ack = 0  # the hub knows more of this epoch than the store has: never skip what we cannot see
    store.outbox.acknowledge(ack)
    files.save_status(
        status.model_copy(
            update={
                "notices_seen": max([status.notices_seen, *(n.seq for n in fresh)]),
                "installed_bundle": installed or status.installed_bundle,
                "acknowledged": store.outbox.acknowledged,
            }
        )
    )
    return ImportReport(installed, store.outbox.acknowledged, len(fresh))
