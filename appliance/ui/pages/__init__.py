"""One module per page; :func:`register_pages` adds every route to the NiceGUI app."""

from __future__ import annotations

from nicegui import app, ui

from appliance.ui import api_credentials
from appliance.ui.pages import (
    admin_credentials,
    admin_sync,
    admin_users,
    author,
    catalogue,
    credentials,
    dashboard,
    editor,
    health,
    history,
    insights,
    login,
    placeholders,
    player,
    review,
    setup,
)
from appliance.ui.pages import verify as verify_page
from appliance.ui.review_api import register_review_api

ROUTES = {
    "/setup": setup.setup_page,
    "/login": login.login_page,
    "/": catalogue.catalogue_page,
    "/play/{module_id}/{scenario_id}": player.play_page,
    "/attempt/{attempt_id}": player.attempt_page,
    "/admin/users": admin_users.users_page,
    "/denied": placeholders.denied_page,
    "/review": review.review_page,
    "/review/insights": insights.insights_page,
    "/dashboard": dashboard.dashboard_page,
    "/history": history.history_page,
    "/author": author.author_page,
    "/author/{module_id}": editor.editor_page,
    "/credentials": credentials.credentials_page,
    "/credentials/{record_id}/print": credentials.print_page,
    "/verify": verify_page.verify_page,
    "/admin/credentials": admin_credentials.credentials_admin_page,
    "/admin/sync": admin_sync.sync_page,
}


def register_pages() -> None:
    """Register every page and the ``/healthz`` endpoint (once per app build)."""
    for path, page in ROUTES.items():
        ui.page(path)(page)  # type: ignore[arg-type]
    app.get("/healthz")(health.healthz)
    app.get("/api/v1/credentials")(api_credentials.my_credentials)
    app.get("/credentials/status/{name}")(api_credentials.status_list)
    register_review_api()


__all__ = ["ROUTES", "register_pages"]
