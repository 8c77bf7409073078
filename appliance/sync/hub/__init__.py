"""The central hub: enrollment, records up, curriculum and notices down, over PostgreSQL or SQLite.

Hub processes keep no state of their own (the key file aside), so several can serve one PostgreSQL
database behind a load balancer::

    hub = open_hub(load_hub_settings(database="postgresql://ward@db/ward"))
    token = hub.repo.create_token(hub.key, "Ward 7 NICU")
    publish_files(hub.repo, hub.key, [Path("taxonomy.json"), Path("modules/sepsis.json")])
    serve(hub)

Errors are those of :mod:`appliance.sync` (``HubStoreError`` for the database).
"""

from appliance.sync.hub._app import HubApp
from appliance.sync.hub._db import Database, PostgresDatabase, SqliteDatabase, open_database
from appliance.sync.hub._migrate import migrate, migrations
from appliance.sync.hub._publish import publish_files
from appliance.sync.hub._records import Site, SiteStatus
from appliance.sync.hub._repo import HubRepository
from appliance.sync.hub._service import Hub, async_serve, open_hub, serve
from appliance.sync.hub._settings import HubSettings, load_hub_settings
from appliance.sync.hub._sneakernet import export_hub_pack, import_records

__all__ = [
    "Database",
    "Hub",
    "HubApp",
    "HubRepository",
    "HubSettings",
    "PostgresDatabase",
    "Site",
    "SiteStatus",
    "SqliteDatabase",
    "async_serve",
    "export_hub_pack",
    "import_records",
    "load_hub_settings",
    "migrate",
    "migrations",
    "open_database",
    "open_hub",
    "publish_files",
    "serve",
]
