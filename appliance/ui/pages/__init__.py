"""One module per page; importing this package registers every page."""

from appliance.ui.pages import admin_users, catalogue, health, login, player, setup

__all__ = ["admin_users", "catalogue", "health", "login", "player", "setup"]
