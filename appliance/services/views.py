"""Read models the pages show: accounts, the catalogue, credentials, the dashboard.

Public on purpose, outside ``appliance.services``'s short top level.
"""

from appliance.services._auth import Provisioned
from appliance.services._dashboard import Dashboard, Series
from appliance.services._views import AccountView, Catalogue, CredentialCard, ModuleCard, ScenarioProgress
from appliance.services._wallet import CredentialView

__all__ = [
    "AccountView",
    "Catalogue",
    "CredentialCard",
    "CredentialView",
    "Dashboard",
    "ModuleCard",
    "Provisioned",
    "ScenarioProgress",
    "Series",
]
