"""Application services: what the web pages and the CLI call (no UI code, no storage format of its own)."""

from appliance.services._agreement import Agreement
from appliance.services._auth import AuthService, Provisioned
from appliance.services._authoring import AuthoringService, EditOutcome, EditSession, VersionInfo
from appliance.services._bundle import Services, open_services
from appliance.services._catalogue import CatalogueService
from appliance.services._credentials import CredentialAwarder, CredentialIssuer, UnsignedIssuer
from appliance.services._curriculum import CurriculumService
from appliance.services._dashboard import Dashboard, DashboardService, Series
from appliance.services._doctor import DoctorReport, ExemplarCheck, examine
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
from appliance.services._insights import InsightsService
from appliance.services._player import PlayerService
from appliance.services._preview import Preview, PreviewGrader, preview_continue, preview_decide, preview_from
from appliance.services._records import RecordFilter, RecordsService, home_page, lrs_client
from appliance.services._review import ReviewDecision, ReviewFilter, ReviewItem, ReviewOutcome, ReviewService
from appliance.services._templates import TEMPLATES, Template, blank, template
from appliance.services._twee import TweeImport, import_twee
from appliance.services._views import (
    AccountView,
    AttemptView,
    Catalogue,
    CredentialCard,
    GradeRecord,
    ModuleCard,
    ScenarioProgress,
)
from appliance.services._wallet import CredentialNotFound, CredentialService, CredentialView
from appliance.store import StoreIOError

__all__ = [
    "TEMPLATES",
    "AccountView",
    "Agreement",
    "AttemptConflict",
    "AttemptNotFound",
    "AttemptView",
    "AuthService",
    "AuthoringError",
    "AuthoringService",
    "Catalogue",
    "CatalogueService",
    "CredentialAwarder",
    "CredentialCard",
    "CredentialIssuer",
    "CredentialNotFound",
    "CredentialService",
    "CredentialView",
    "CurriculumService",
    "Dashboard",
    "DashboardService",
    "DoctorReport",
    "DraftConflict",
    "EditOutcome",
    "EditRefused",
    "EditSession",
    "ExemplarCheck",
    "ForwardError",
    "GradeRecord",
    "ImportFailed",
    "InsightsService",
    "ModuleCard",
    "PlayerError",
    "PlayerService",
    "Preview",
    "PreviewGrader",
    "Provisioned",
    "PublishRefused",
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
    "Series",
    "ServiceError",
    "Services",
    "StoreIOError",
    "Template",
    "TweeImport",
    "UnsignedIssuer",
    "VersionInfo",
    "blank",
    "examine",
    "grade_decision",
    "home_page",
    "import_twee",
    "lrs_client",
    "open_services",
    "preview_continue",
    "preview_decide",
    "preview_from",
    "template",
]
