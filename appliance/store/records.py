"""The records that stay out of the store's top level: audit entries, credentials, drafts, module
versions, outbox events, review overrides and overlays, settings keys and account role names.

Public on purpose, outside ``appliance.store``'s short top level.
"""

from appliance.store._records import (
    AuditEntry,
    Credential,
    Draft,
    ModuleVersion,
    OutboxEvent,
    ReviewOverride,
    RoleName,
)
from appliance.store._review_records import OverlayExemplar, QueueEntry, ReviewComparison
from appliance.store._settings import SettingKey
from appliance.store._users import UNSET

__all__ = [
    "UNSET",
    "AuditEntry",
    "Credential",
    "Draft",
    "ModuleVersion",
    "OutboxEvent",
    "OverlayExemplar",
    "QueueEntry",
    "ReviewComparison",
    "ReviewOverride",
    "RoleName",
    "SettingKey",
]
