"""Application services: what the web pages and the CLI call (no UI code, no storage format of its own)."""

from appliance.grader import RationaleRejected
from appliance.services._auth import AuthService
from appliance.services._bundle import Services, open_services
from appliance.services._catalogue import CatalogueService
from appliance.services._credentials import CredentialAwarder, CredentialIssuer, UnsignedIssuer
from appliance.services._curriculum import CurriculumService
from appliance.services._dashboard import Dashboard, DashboardService
from appliance.services._errors import (
    AttemptConflict,
    AttemptNotFound,
    ForwardError,
    PlayerError,
    ReviewError,
    ReviewInvalid,
    ReviewNotFound,
    ServiceError,
)
from appliance.services._insights import InsightsService
from appliance.services._player import PlayerService
from appliance.services._records import RecordFilter, RecordsService
from appliance.services._review import ReviewDecision, ReviewFilter, ReviewItem, ReviewOutcome, ReviewService
from appliance.services._views import AttemptView, Catalogue, CredentialCard, ModuleCard, ScenarioProgress

__all__ = [
    "AttemptConflict",
    "AttemptNotFound",
    "AttemptView",
    "AuthService",
    "Catalogue",
    "CatalogueService",
    "CredentialAwarder",
    "CredentialCard",
    "CredentialIssuer",
    "CurriculumService",
    "Dashboard",
    "DashboardService",
    "ForwardError",
    "InsightsService",
    "ModuleCard",
    "PlayerError",
    "PlayerService",
    "RationaleRejected",
    "RecordFilter",
    "RecordsService",
    "ReviewDecision",
    "ReviewError",
    "ReviewFilter",
    "ReviewInvalid",
    "ReviewItem",
    "ReviewNotFound",
    "ReviewOutcome",
    "ReviewService",
    "ScenarioProgress",
    "ServiceError",
    "Services",
    "UnsignedIssuer",
    "open_services",
]
