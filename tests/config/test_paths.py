"""Model and data paths work from a source checkout and from an installed package."""

from __future__ import annotations

from pathlib import Path

from appliance.config import default_models_dir, load_settings


def test_a_source_checkout_uses_its_own_models_folder(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "pyproject.toml").write_text("[project]\n")
    assert default_models_dir(tmp_path / "data", tmp_path / "src" / "models") == tmp_path / "src" / "models"


def test_an_installed_package_keeps_models_under_the_data_folder(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    site.mkdir()
    assert default_models_dir(tmp_path / "data", site / "models") == tmp_path / "data" / "models"


def test_an_explicit_models_dir_wins(tmp_path: Path) -> None:
    assert load_settings(models_dir=tmp_path / "m", data_dir=tmp_path / "d").models_dir == tmp_path / "m"


def test_the_bundled_curriculum_is_package_data() -> None:
    assert (load_settings().curriculum_dir / "taxonomy.json").is_file()
    assert "appliance" in load_settings().curriculum_dir.parts
