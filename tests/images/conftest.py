"""Shared fixtures for the image tests: the repository's images/ folder and tool detection."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

IMAGES = Path(__file__).resolve().parents[2] / "images"


def need(tool: str) -> str:
    """Return the path of ``tool`` or skip the test, saying which Debian package provides it."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(
            f"{tool} is not installed (apt-get install rauc systemd grub-common fdisk squashfs-tools)"
        )
    return path


@pytest.fixture
def images_dir() -> Path:
    return IMAGES
