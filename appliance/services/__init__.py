"""Application services: what the web pages and the CLI call (no UI code, no storage format of its own)."""

from appliance.services._auth import AuthService, Provisioned
from appliance.services._bundle import Services, open_services
from appliance.services._catalogue import CatalogueService
from appliance.services._credentials import CredentialAwarder, CredentialIssuer, UnsignedIssuer
from appliance.services._curriculum import CurriculumService
from appliance.services._errors import (
    AttemptConflict,
    AttemptNotFound,
    PlayerError,
    RationaleRejected,
    ServiceError,
)
from appliance.services._grading import grade_decision
from appliance.services._player import PlayerService
from appliance.services._views import (
    AccountView,
    AttemptView,
    Catalogue,
    CredentialCard,
    ModuleCard,
    ScenarioProgress,
)
from appliance.services._wallet import CredentialNotFound, CredentialService, CredentialView
from appliance.store import StoreIOError

__all__ = [
    "AccountView",
    "AttemptConflict",
    "AttemptNotFound",
    "AttemptView",
    "AuthService",
    "Catalogue",
    "CatalogueService",
    "CredentialAwarder",
    "CredentialCard",
    "CredentialIssuer",
    "CredentialNotFound",
    "CredentialService",
    "CredentialView",
    "CurriculumService",
    "ModuleCard",
    "PlayerError",
    "PlayerService",
    "Provisioned",
    "RationaleRejected",
    "ScenarioProgress",
    "ServiceError",
    "Services",
    "StoreIOError",
    "UnsignedIssuer",
    "grade_decision",
    "open_services",
]
