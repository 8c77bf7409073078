"""Finding hubs on the ward LAN with zeroconf (mDNS/DNS-SD). Every discovery constant lives here.

A hub advertises ``_ward-hub._tcp.local.`` with TXT ``hub_id`` (its key fingerprint) and ``version``.
Anyone can advertise that name, so what browsing finds is only a list of candidates: a site keeps the
ones whose TXT names its hub and then proves each with :func:`appliance.sync.async_verify_hub`.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

SERVICE_TYPE = "_ward-hub._tcp.local."
TXT_HUB_ID = "hub_id"
TXT_VERSION = "version"
TXT_PATH = "path"
BROWSE_SECONDS = 3.0


@dataclass(frozen=True)
class Candidate:
    """An advertised hub, not yet verified."""

    name: str
    url: str
    hub_id: str
    version: str


def _zeroconf(interfaces: list[str] | None) -> AsyncZeroconf:
    if interfaces:
        return AsyncZeroconf(interfaces=interfaces, ip_version=IPVersion.V4Only)
    return AsyncZeroconf(ip_version=IPVersion.V4Only)


@asynccontextmanager
async def async_advertise(
    name: str, address: str, port: int, hub_id: str, version: str, *, interfaces: list[str] | None = None
) -> AsyncIterator[AsyncServiceInfo]:
    """Advertise a hub while the block runs.

    :param interfaces: IPv4 addresses to announce on (tests pass ``["127.0.0.1"]``); all when None.
    """
    zc = _zeroconf(interfaces)
    info = AsyncServiceInfo(
        SERVICE_TYPE,
        f"{name}.{SERVICE_TYPE}",
        addresses=[socket.inet_aton(address)],
        port=port,
        properties={TXT_HUB_ID: hub_id, TXT_VERSION: version},
        server=f"{name}.local.",
    )
    await zc.async_register_service(info)
    try:
        yield info
    finally:
        await zc.async_unregister_service(info)
        await zc.async_close()


async def async_browse(
    *, seconds: float = BROWSE_SECONDS, interfaces: list[str] | None = None
) -> list[Candidate]:
    """The hubs advertised on the LAN within ``seconds`` (unverified, deduplicated by URL)."""
    zc = _zeroconf(interfaces)
    names: list[str] = []

    def seen(zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange) -> None:
        if state_change is not ServiceStateChange.Removed and name not in names:
            names.append(name)

    browser = AsyncServiceBrowser(zc.zeroconf, SERVICE_TYPE, handlers=[seen])
    try:
        await asyncio.sleep(seconds)
        found: dict[str, Candidate] = {}
        for name in list(names):
            info = AsyncServiceInfo(SERVICE_TYPE, name)
            if not await info.async_request(zc.zeroconf, 1500):
                continue
            props = {k.decode(): (v or b"").decode() for k, v in info.properties.items()}
            for address in info.parsed_addresses(IPVersion.V4Only):
                url = f"http://{address}:{info.port}"
                found.setdefault(
                    url, Candidate(name, url, props.get(TXT_HUB_ID, ""), props.get(TXT_VERSION, ""))
                )
        return list(found.values())
    finally:
        await browser.async_cancel()
        await zc.async_close()
