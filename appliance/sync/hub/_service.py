"""Opening a hub (database, migrations, key) and serving it with uvicorn, advertised with zeroconf."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from dataclasses import dataclass

import uvicorn

from appliance import __version__
from appliance.sync._crypto import SigningKey
from appliance.sync._discovery import async_advertise
from appliance.sync.hub._app import HubApp
from appliance.sync.hub._db import Database, open_database
from appliance.sync.hub._migrate import migrate
from appliance.sync.hub._repo import HubRepository
from appliance.sync.hub._settings import HubSettings

log = logging.getLogger(__name__)


@dataclass
class Hub:
    """An open hub: its database, repository and key."""

    settings: HubSettings
    db: Database
    repo: HubRepository
    key: SigningKey

    def close(self) -> None:
        """Release the database."""
        self.db.close()


def open_hub(settings: HubSettings) -> Hub:
    """Open the database, apply migrations, load (or create) the key and bind it to the database.

    :raises HubStoreError: the database is unreachable, too new, or belongs to another key.
    :raises SyncError: the key file is unreadable.
    """
    key = SigningKey.load_or_create(settings.key_file)
    db = open_database(settings.database)
    try:
        migrate(db)
        repo = HubRepository(db)
        repo.bind_key(key)
    except BaseException:
        db.close()
        raise
    return Hub(settings, db, repo, key)


def _local_address(host: str) -> str:
    if host not in ("0.0.0.0", ""):
        return host
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))
        return str(probe.getsockname()[0])
    return "127.0.0.1"


async def async_serve(hub: Hub) -> None:
    """Serve the API until cancelled or signalled, advertising it on the LAN when configured."""
    settings = hub.settings
    config = uvicorn.Config(
        HubApp(hub.repo, hub.key).app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        access_log=False,
        # Longer than httpx's 5 s keep-alive expiry, so a client never reuses a connection the hub is closing.
        timeout_keep_alive=30,
    )
    server = uvicorn.Server(config)
    async with contextlib.AsyncExitStack() as stack:
        if settings.advertise:
            address = settings.advertise_address or _local_address(settings.host)
            await stack.enter_async_context(
                async_advertise(
                    settings.name,
                    address,
                    settings.port,
                    hub.key.fingerprint,
                    __version__,
                    interfaces=settings.advertise_interfaces,
                )
            )
            log.info("advertising %s on %s:%d", settings.name, address, settings.port)
        await server.serve()


def serve(hub: Hub) -> None:
    """Blocking form of :func:`async_serve`."""
    asyncio.run(async_serve(hub))
