"""Application services: what the web pages and the CLI call (no UI code, no storage format of its own).

The top level is ``open_services``/``Services``, the player's view, grading a decision and the errors
(``ServiceError`` and its subclasses); the rest is public in submodules: ``authoring``, ``edits``,
``review``, ``records`` (xAPI), ``views`` and ``parts`` (the individual services).
"""

from appliance.services._bundle import Services, open_services
from appliance.services._errors import (
    AttemptConflict,
    AttemptNotFound,
    AuthoringError,
    DraftConflict,
    EditRefused,
    ForwardError,
    ImportFailed,
    PlayerError,
    PublishRefused,
    RationaleRejected,
    ReviewError,
    ReviewInvalid,
    ReviewNotFound,
    ServiceError,
)
from appliance.services._grading import grade_decision
from appliance.services._views import AttemptView, GradeRecord
from appliance.services._wallet import CredentialNotFound
from appliance.store import StoreIOError

__all__ = [
    "AttemptConflict",
    "AttemptNotFound",
    "AttemptView",
    "AuthoringError",
    "CredentialNotFound",
    "DraftConflict",
    "EditRefused",
    "ForwardError",
    "GradeRecord",
    "ImportFailed",
    "PlayerError",
    "PublishRefused",
    "RationaleRejected",
    "ReviewError",
    "ReviewInvalid",
    "ReviewNotFound",
    "ServiceError",
    "Services",
    "StoreIOError",
    "grade_decision",
    "open_services",
]
