"""One module per page; :func:`register_pages` adds every route to the NiceGUI app."""

from __future__ import annotations

from nicegui import app, ui

from appliance.ui.pages import (
    admin_users,
    catalogue,
    dashboard,
    health,
    history,
    insights,
    login,
    player,
    review,
    setup,
)
from appliance.ui.review_api import register_review_api

ROUTES = {
    "/setup": setup.setup_page,
    "/login": login.login_page,
    "/logout": login.logout_page,
    "/": catalogue.catalogue_page,
    "/play/{module_id}/{scenario_id}": player.play_page,
    "/attempt/{attempt_id}": player.attempt_page,
    "/admin/users": admin_users.users_page,
    "/review": review.review_page,
    "/review/insights": insights.insights_page,
    "/dashboard": dashboard.dashboard_page,
    "/history": history.history_page,
}


def register_pages() -> None:
    """Register every page and the ``/healthz`` endpoint (once per app build)."""
    for path, page in ROUTES.items():
        ui.page(path)(page)
    app.get("/healthz")(health.healthz)
    register_review_api()


__all__ = ["ROUTES", "register_pages"]
