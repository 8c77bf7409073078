"""The individual services that ``Services`` is made of (for type hints and for wiring by hand).

Public on purpose, outside ``appliance.services``'s short top level.
"""

from appliance.services._auth import AuthService
from appliance.services._authoring import AuthoringService
from appliance.services._catalogue import CatalogueService
from appliance.services._credentials import CredentialAwarder, CredentialIssuer, UnsignedIssuer
from appliance.services._curriculum import CurriculumService
from appliance.services._dashboard import DashboardService
from appliance.services._insights import InsightsService
from appliance.services._player import PlayerService
from appliance.services._records import RecordsService
from appliance.services._review import ReviewService
from appliance.services._wallet import CredentialService

__all__ = [
    "AuthService",
    "AuthoringService",
    "CatalogueService",
    "CredentialAwarder",
    "CredentialIssuer",
    "CredentialService",
    "CurriculumService",
    "DashboardService",
    "InsightsService",
    "PlayerService",
    "RecordsService",
    "ReviewService",
    "UnsignedIssuer",
]
