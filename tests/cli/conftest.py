"""The command-line tests use the fixtures of the packages whose commands they drive."""

from tests.credentials.conftest import earned_site, issued
from tests.engine.conftest import mini_module_path
from tests.store.conftest import clock

__all__ = ["clock", "earned_site", "issued", "mini_module_path"]
