"""The records' schema version, the migrations that lead to it, and bulk loading a new store.

Public on purpose, outside ``appliance.store``'s short top level.
"""

from appliance.store._bulk import BulkLoader
from appliance.store._migrations import MIGRATIONS, SCHEMA_VERSION
from appliance.store.engine import Migration

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "BulkLoader",
    "Migration",
]
