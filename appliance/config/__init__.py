"""The appliance's settings: one typed spec, built once at start-up and passed down.

ConfigError   a ``WARD_*`` value is invalid
"""

from appliance.config._settings import ConfigError, Settings, default_models_dir, load_settings

__all__ = ["ConfigError", "Settings", "default_models_dir", "load_settings"]
