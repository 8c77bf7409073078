"""Installing curriculum bundles on a site: verified first, atomic, with rollback and module pins.

Layout under ``<data_dir>/curriculum/``::

    bundles/<version>.json     the last few verified bundles, kept for rollback and pins
    tree-<version>-<pins>/     a complete curriculum folder (taxonomy.json, modules/*.json)
    active -> tree-...         the folder the appliance loads; replaced in one rename
    state.json                 previous version and module pins

A new tree is written and validated beside the active one, then ``active`` is swapped in one rename: a
crash leaves the old or the new curriculum, never a mix. Every installed module version is also
published into the store (``on_module``), which keeps every version, so an attempt started on an older
version still has its module. A pinned module keeps its pinned version's file through later bundles.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from appliance.engine import EngineError
from appliance.engine.curriculum import load_curriculum
from appliance.engine.documents import ModuleDocument, parse_document
from appliance.engine.validation import validate_curriculum
from appliance.sync._bundle import Bundle, verify_bundle
from appliance.sync._errors import BundleRejected
from appliance.sync._files import fsync_dir, read_json, swap_symlink, write_atomic, write_json

KEEP_BUNDLES = 4


@dataclass(frozen=True)
class Installed:
    """What the site runs now."""

    version: int
    previous: int | None
    pins: dict[str, str] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)


class Installer:
    """Installs, rolls back and pins curriculum bundles in a data folder (one process at a time)."""

    def __init__(self, data_dir: Path, on_module: Callable[[ModuleDocument], object] | None = None) -> None:
        self.root = Path(data_dir) / "curriculum"
        self._on_module = on_module

    @property
    def active_dir(self) -> Path | None:
        """The curriculum folder to load, or None when no bundle was ever installed."""
        link = self.root / "active"
        return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None

    def installed(self) -> Installed | None:
        """The installed version, the previous one and the pins (None before the first install)."""
        active = self.active_dir
        if active is None:
            return None
        state = read_json(self.root / "state.json", {})
        manifest = self._bundle(int(active.name.split("-")[1])).manifest
        modules = {f.module_id: f.module_version or "" for f in manifest.files if f.module_id}
        modules.update(state.get("pins", {}))
        return Installed(manifest.version, state.get("previous"), dict(state.get("pins", {})), modules)

    def _bundle(self, version: int) -> Bundle:
        return Bundle.from_json((self.root / "bundles" / f"{version}.json").read_bytes())

    def install(self, bundle: Bundle, hub_key: str, *, now: datetime) -> Installed:
        """Verify ``bundle`` against ``hub_key`` and make it the active curriculum (no-op if installed).

        :raises BundleSignatureInvalid: wrong signer, bad signature or a tampered file.
        :raises BundleStale: expired or older than the installed bundle.
        :raises BundleRejected: the curriculum in it is invalid or conflicts with a published version.
        """
        current = self.installed()
        verify_bundle(bundle, hub_key, now=now, installed=current.version if current else 0)
        if current is not None and current.version == bundle.manifest.version:
            return current
        write_atomic(self.root / "bundles" / f"{bundle.manifest.version}.json", bundle.to_json().encode())
        previous = current.version if current else None
        return self._activate(bundle.manifest.version, previous, current.pins if current else {})

    def rollback(self) -> Installed:
        """Go back to the previous bundle (the one before becomes "previous").

        :raises BundleRejected: there is no previous bundle.
        """
        current = self.installed()
        if current is None or current.previous is None:
            raise BundleRejected("there is no previous curriculum version to roll back to")
        return self._activate(current.previous, current.version, current.pins)

    def pin(self, module_id: str, version: str | None) -> Installed:
        """Keep ``module_id`` at ``version`` through later bundles (``None`` removes the pin).

        :raises BundleRejected: no kept bundle has that module version.
        """
        current = self.installed()
        if current is None:
            raise BundleRejected("no curriculum bundle is installed yet")
        pins = dict(current.pins)
        if version is None:
            pins.pop(module_id, None)
        else:
            self._module_text(module_id, version)
            pins[module_id] = version
        return self._activate(current.version, current.previous, pins)

    def _pin_sources(self, pins: dict[str, str]) -> set[int]:
        """The kept bundles that hold a pinned module version (never pruned)."""
        found = set()
        for path in (self.root / "bundles").glob("*.json"):
            manifest = Bundle.from_json(path.read_bytes()).manifest
            if any(pins.get(f.module_id or "") == f.module_version for f in manifest.files if f.module_id):
                found.add(manifest.version)
        return found

    def _module_text(self, module_id: str, version: str) -> str:
        for path in sorted((self.root / "bundles").glob("*.json"), reverse=True):
            bundle = Bundle.from_json(path.read_bytes())
            for entry in bundle.manifest.files:
                if entry.module_id == module_id and entry.module_version == version:
                    return bundle.files[entry.path]
        raise BundleRejected(f"no kept bundle has module {module_id} version {version}")

    def _activate(self, version: int, previous: int | None, pins: dict[str, str]) -> Installed:
        bundle = self._bundle(version)
        files = dict(bundle.files)
        for entry in bundle.manifest.files:
            if entry.module_id in pins:
                files[entry.path] = self._module_text(entry.module_id, pins[entry.module_id])
        digest = hashlib.sha256(repr(sorted(pins.items())).encode()).hexdigest()[:8]
        name = f"tree-{version}-{digest}"
        tree = self.root / name
        documents = self._write_tree(tree, files)
        if self._on_module is not None:
            try:
                for document in documents:
                    self._on_module(document)
            except Exception as err:  # e.g. the store has this version number with other content
                shutil.rmtree(tree, ignore_errors=True)
                raise BundleRejected(f"the bundle conflicts with a published module version: {err}") from err
        write_json(self.root / "state.json", {"previous": previous, "pins": pins})
        swap_symlink(self.root / "active", name)
        keep = {version, *(v for v in (previous,) if v is not None), *self._pin_sources(pins)}
        self._prune(keep=keep, active=name)
        installed = self.installed()
        assert installed is not None
        return installed

    def _write_tree(self, tree: Path, files: dict[str, str]) -> list[ModuleDocument]:
        staging = tree.with_name(f".{tree.name}.staging")
        shutil.rmtree(staging, ignore_errors=True)
        documents: list[ModuleDocument] = []
        try:
            for path, text in files.items():
                document = parse_document(text.encode(), path)
                if isinstance(document, ModuleDocument):
                    documents.append(document)
                write_atomic(staging / path, text.encode())
            if not (staging / "taxonomy.json").exists():
                raise BundleRejected("the bundle has no taxonomy.json")
            problems = validate_curriculum(load_curriculum(staging))
            if problems:
                raise BundleRejected(
                    "the bundle's curriculum has problems: " + "; ".join(map(str, problems[:5]))
                )
        except EngineError as err:
            shutil.rmtree(staging, ignore_errors=True)
            raise BundleRejected(f"the bundle's curriculum is invalid: {err}") from err
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        shutil.rmtree(tree, ignore_errors=True)
        staging.rename(tree)
        fsync_dir(self.root)
        return documents

    def _prune(self, keep: set[int], active: str) -> None:
        bundles = sorted((int(p.stem) for p in (self.root / "bundles").glob("*.json")), reverse=True)
        for version in bundles[KEEP_BUNDLES:]:
            if version not in keep:
                (self.root / "bundles" / f"{version}.json").unlink(missing_ok=True)
        for tree in self.root.glob("tree-*"):
            if tree.name != active:
                shutil.rmtree(tree, ignore_errors=True)
