"""The hub's side of sneakernet: import sites' record packs, export a pack for air-gapped sites."""

from __future__ import annotations

from pathlib import Path

from appliance.sync._crypto import SigningKey
from appliance.sync._errors import BundleSignatureInvalid, DeviceRevoked
from appliance.sync._pack import check_pack, read_pack, write_pack
from appliance.sync._wire import EventChunk
from appliance.sync.hub._repo import HubRepository


def import_records(repo: HubRepository, path: Path) -> tuple[str, int, int]:
    """Verify a site's records pack against its enrolled key and store it idempotently.

    :return: (site id, events newly stored, the cursor now acknowledged).
    :raises BundleSignatureInvalid: unknown site, or a pack not signed by its key.
    :raises DeviceRevoked: the site is revoked.
    """
    pack = read_pack(path, "records")
    site = repo.site(pack.signer)
    if site is None or site.site_id != pack.signer:
        raise BundleSignatureInvalid(f"the pack is signed by {pack.signer!r}, which is not an enrolled site")
    check_pack(pack, site.public_key)
    if site.revoked_at is not None:
        raise DeviceRevoked(site.revoked_reason or "revoked on the hub")
    stored, ack = 0, repo.cursor(site.site_id, str(pack.body.get("epoch", "")))
    for raw in pack.body.get("chunks", []):
        chunk = EventChunk.model_validate(raw)
        new, ack = repo.store_events(site.site_id, chunk.epoch, chunk.events)
        stored += new
    return site.site_id, stored, ack


def export_hub_pack(repo: HubRepository, key: SigningKey, path: Path) -> int | None:
    """Write the newest bundle, every notice and every site's cursors to a pack signed by the hub key.

    :return: the bundle version in the pack, if any.
    """
    latest = repo.latest_bundle()
    cursors = {s.site_id: s.cursors for s in repo.status()}
    notices = [n.model_dump(mode="json") for n in repo.notices(0, limit=100_000)]
    body = {
        "hub_id": key.fingerprint,
        "bundle": latest[1] if latest else None,
        "notices": notices,
        "cursors": cursors,
    }
    write_pack(path, key, "hub", key.fingerprint, body)
    return latest[0] if latest else None
