"""Bundles install only when the trusted hub signed them, atomically, with rollback and pins."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from appliance.engine import load_document
from appliance.engine.curriculum import publish
from appliance.engine.documents import ModuleDocument, dump_document
from appliance.sync import (
    Bundle,
    BundleRejected,
    BundleSignatureInvalid,
    BundleStale,
    Installer,
    SigningKey,
    build_bundle,
)
from tests.sync.conftest import DEMO, bumped_module

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _files(*extra: Path) -> dict[str, tuple[str, str | None, str | None]]:
    files: dict[str, tuple[str, str | None, str | None]] = {
        "taxonomy.json": ((DEMO / "taxonomy.json").read_text(), None, None)
    }
    for path in [*sorted((DEMO / "modules").glob("*.json")), *extra]:
        doc = load_document(path)
        assert isinstance(doc, ModuleDocument)
        files[f"modules/{doc.module.id}.json"] = (
            dump_document(publish(doc.module)),
            doc.module.id,
            doc.module.version,
        )
    return files


@pytest.fixture
def key() -> SigningKey:
    return SigningKey.generate()


def test_a_signed_bundle_installs_and_its_modules_are_published(tmp_path: Path, key: SigningKey) -> None:
    published: list[str] = []
    installer = Installer(tmp_path, on_module=lambda d: published.append(d.module.id))
    installed = installer.install(build_bundle(key, 1, _files(), now=NOW), key.public_key, now=NOW)
    assert installed.version == 1 and installed.previous is None
    assert installer.active_dir is not None and (installer.active_dir / "taxonomy.json").exists()
    assert sorted(published) == ["ai-safety-sepsis", "nursing-ai-workflows"]


def test_a_tampered_file_is_refused_and_nothing_changes(tmp_path: Path, key: SigningKey) -> None:
    bundle = build_bundle(key, 1, _files(), now=NOW)
    files = dict(bundle.files)
    files["taxonomy.json"] = files["taxonomy.json"].replace("NICU", "NlCU")
    tampered = bundle.model_copy(update={"files": files})
    with pytest.raises(BundleSignatureInvalid, match="does not match its hash"):
        Installer(tmp_path).install(tampered, key.public_key, now=NOW)
    assert Installer(tmp_path).active_dir is None


def test_a_changed_manifest_fails_the_signature(tmp_path: Path, key: SigningKey) -> None:
    bundle = build_bundle(key, 1, _files(), now=NOW)
    later = bundle.manifest.model_copy(update={"expires_at": NOW + timedelta(days=9999)})
    with pytest.raises(BundleSignatureInvalid, match="signature"):
        Installer(tmp_path).install(bundle.model_copy(update={"manifest": later}), key.public_key, now=NOW)


def test_a_bundle_signed_by_another_key_is_refused(tmp_path: Path, key: SigningKey) -> None:
    other = SigningKey.generate()
    with pytest.raises(BundleSignatureInvalid, match="signed by hub"):
        Installer(tmp_path).install(build_bundle(other, 1, _files(), now=NOW), key.public_key, now=NOW)
    # Even when it claims our hub's id, the signature gives it away.
    forged = build_bundle(other, 1, _files(), now=NOW)
    forged = forged.model_copy(
        update={"manifest": forged.manifest.model_copy(update={"hub_id": key.fingerprint})}
    )
    with pytest.raises(BundleSignatureInvalid, match="signature"):
        Installer(tmp_path).install(forged, key.public_key, now=NOW)


def test_expired_and_older_bundles_are_stale(tmp_path: Path, key: SigningKey) -> None:
    installer = Installer(tmp_path)
    with pytest.raises(BundleStale, match="expired"):
        installer.install(
            build_bundle(key, 1, _files(), now=NOW - timedelta(days=400)), key.public_key, now=NOW
        )
    installer.install(build_bundle(key, 2, _files(), now=NOW), key.public_key, now=NOW)
    with pytest.raises(BundleStale, match="older"):
        installer.install(build_bundle(key, 1, _files(), now=NOW), key.public_key, now=NOW)


def test_a_bundle_of_invalid_curriculum_is_rejected_whole(tmp_path: Path, key: SigningKey) -> None:
    files = _files()
    files["modules/broken.json"] = (
        '{"schema_version": 1, "kind": "module", "module": {}}',
        "broken",
        "1.0.0",
    )
    with pytest.raises(BundleRejected):
        Installer(tmp_path).install(build_bundle(key, 1, files, now=NOW), key.public_key, now=NOW)
    assert Installer(tmp_path).active_dir is None
    assert not list((tmp_path / "curriculum").glob("*staging*"))


def test_rollback_returns_to_the_previous_bundle(tmp_path: Path, key: SigningKey) -> None:
    installer = Installer(tmp_path)
    installer.install(build_bundle(key, 1, _files(), now=NOW), key.public_key, now=NOW)
    installer.install(build_bundle(key, 2, _files(bumped_module(tmp_path)), now=NOW), key.public_key, now=NOW)
    assert installer.installed().modules["ai-safety-sepsis"] == "1.1.0"  # type: ignore[union-attr]
    back = installer.rollback()
    assert (back.version, back.previous, back.modules["ai-safety-sepsis"]) == (1, 2, "1.0.0")
    assert "1.0.0" in (installer.active_dir / "modules" / "ai-safety-sepsis.json").read_text()  # type: ignore[operator]


def test_a_pinned_module_keeps_its_version_through_a_newer_bundle(tmp_path: Path, key: SigningKey) -> None:
    installer = Installer(tmp_path)
    installer.install(build_bundle(key, 1, _files(), now=NOW), key.public_key, now=NOW)
    installer.pin("ai-safety-sepsis", "1.0.0")
    installed = installer.install(
        build_bundle(key, 2, _files(bumped_module(tmp_path)), now=NOW), key.public_key, now=NOW
    )
    assert installed.version == 2 and installed.modules["ai-safety-sepsis"] == "1.0.0"
    assert installer.pin("ai-safety-sepsis", None).modules["ai-safety-sepsis"] == "1.1.0"
    with pytest.raises(BundleRejected, match="no kept bundle"):
        installer.pin("ai-safety-sepsis", "9.9.9")


def test_bundle_file_round_trips_and_junk_is_not_a_bundle(key: SigningKey) -> None:
    bundle = build_bundle(key, 3, _files(), now=NOW)
    assert Bundle.from_json(bundle.to_json()) == bundle
    with pytest.raises(BundleSignatureInvalid, match="not a curriculum bundle"):
        Bundle.from_json(b'{"manifest": 1}')


def test_the_key_file_is_private_and_a_readable_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sync" / "site.key"
    key = SigningKey.load_or_create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert SigningKey.load(path).public_key == key.public_key
    os.chmod(path, 0o644)
    with pytest.raises(Exception, match="readable by others"):
        SigningKey.load(path)


def test_the_bundle_holding_a_pinned_version_outlives_pruning(tmp_path: Path, key: SigningKey) -> None:
    installer = Installer(tmp_path)
    installer.install(build_bundle(key, 1, _files(), now=NOW), key.public_key, now=NOW)
    installer.pin("ai-safety-sepsis", "1.0.0")
    for version in range(2, 8):
        bumped = bumped_module(tmp_path, version=f"1.{version}.0")
        installer.install(build_bundle(key, version, _files(bumped), now=NOW), key.public_key, now=NOW)
    kept = sorted(int(p.stem) for p in (tmp_path / "curriculum" / "bundles").glob("*.json"))
    assert 1 in kept and len(kept) <= 5
    assert installer.installed().modules["ai-safety-sepsis"] == "1.0.0"  # type: ignore[union-attr]


def test_a_version_number_reused_with_other_content_is_rejected(tmp_path: Path, key: SigningKey) -> None:
    published: dict[tuple[str, str], str] = {}

    def publish_once(document: ModuleDocument) -> None:
        slot = (document.module.id, document.module.version)
        if published.setdefault(slot, document.content_hash or "") != document.content_hash:
            raise ValueError(f"{slot} was published with other content")

    installer = Installer(tmp_path, on_module=publish_once)
    installer.install(build_bundle(key, 1, _files(), now=NOW), key.public_key, now=NOW)
    same_number = bumped_module(tmp_path, version="1.0.0", title="Quietly changed")
    with pytest.raises(BundleRejected, match="conflicts with a published module version"):
        installer.install(build_bundle(key, 2, _files(same_number), now=NOW), key.public_key, now=NOW)
    assert installer.installed().version == 1  # type: ignore[union-attr]
