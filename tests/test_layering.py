"""The core runs without the UI: no core package imports NiceGUI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = sorted(
    f"appliance.{p.name}"
    for p in (ROOT / "appliance").iterdir()
    if p.is_dir() and (p / "__init__.py").exists() and p.name not in {"ui", "cli"}
)


@pytest.mark.parametrize("package", CORE)
def test_core_package_does_not_import_nicegui(package: str) -> None:
    code = f"import sys, {package}; assert 'nicegui' not in sys.modules, 'nicegui imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_cli_starts_without_nicegui() -> None:
    code = "import sys, appliance.cli; assert 'nicegui' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
