"""One way to trust a hub, whether it was configured, discovered or typed in: :func:`async_verify_hub`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import httpx

from appliance.sync._client import async_hello
from appliance.sync._crypto import fingerprint
from appliance.sync._discovery import Candidate, async_browse
from appliance.sync._errors import HubImpostor, HubUnreachable, SyncError


@dataclass(frozen=True)
class HubIdentity:
    """A hub that proved its key."""

    url: str
    hub_id: str
    public_key: str
    version: str
    clock_offset: float


async def async_verify_hub(
    client: httpx.AsyncClient, url: str, *, hub_key: str | None = None, hub_id: str | None = None
) -> HubIdentity:
    """Check that the hub at ``url`` holds the trusted key (or the key with fingerprint ``hub_id``).

    :raises HubUnreachable: no answer.
    :raises HubImpostor: it cannot prove the key, or proves another one.
    """
    hello, offset = await async_hello(client, url.rstrip("/"))
    if hub_key is not None and hello.public_key != hub_key:
        raise HubImpostor(f"{url} proves hub key {hello.hub_id}, not the trusted {fingerprint(hub_key)}")
    if hub_id is not None and hello.hub_id != hub_id:
        raise HubImpostor(f"{url} proves hub key {hello.hub_id}, not {hub_id}")
    return HubIdentity(url.rstrip("/"), hello.hub_id, hello.public_key, hello.version, offset)


async def async_find_hub(
    client: httpx.AsyncClient,
    hub_key: str,
    *,
    urls: Iterable[str] = (),
    discover: bool = True,
    interfaces: list[str] | None = None,
    browse_seconds: float = 3.0,
) -> HubIdentity:
    """The first of the configured ``urls``, then of the advertised hubs, that proves ``hub_key``.

    Impostors (advertising the name, or even the hub id, without the key) are skipped; duplicates of one
    hub on several addresses are tried once each until one answers.

    :raises HubUnreachable: no candidate answered and proved the key (the last problem is in the message).
    """
    problems: list[str] = []
    tried: set[str] = set()
    candidates: list[str] = [u.rstrip("/") for u in urls]
    for phase in ("configured", "discovered"):
        if phase == "discovered":
            if not discover:
                break
            found: list[Candidate] = await async_browse(seconds=browse_seconds, interfaces=interfaces)
            candidates = [c.url for c in found if c.hub_id == fingerprint(hub_key)]
        for url in candidates:
            if url in tried:
                continue
            tried.add(url)
            try:
                return await async_verify_hub(client, url, hub_key=hub_key)
            except SyncError as err:
                problems.append(str(err))
    raise HubUnreachable("no hub proved the trusted key" + (f" ({problems[-1]})" if problems else ""))
