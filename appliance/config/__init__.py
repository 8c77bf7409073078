"""Appliance settings: one typed, documented spec built once at start-up and passed down."""

from appliance.config._settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
