"""Model registry: manifests, checksums, build records, and the fallback when a model is unusable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from appliance.config import Settings
from appliance.grader import (
    LexicalGrader,
    ModelBuildError,
    ModelChecksumMismatch,
    ModelError,
    ModelNotFound,
    OnnxGrader,
    load_grader,
)
from appliance.grader._registry import BuildRecord, write_record
from appliance.grader.models import build_model, build_models, get_spec, list_specs, verify
from tests.grader.conftest import MODELS, ONNX, ensure_built


def test_every_manifest_is_valid_and_names_licence_source_and_checksum() -> None:
    specs = list_specs(MODELS)
    assert {s.name for s in specs} >= {"all-minilm-l6-v2-int8", "all-minilm-l6-v2-fp32", "gemma3-270m-q4km"}
    for spec in specs:
        assert spec.licence and spec.source_package and spec.quantization and spec.sha256


@pytest.fixture
def models_copy(tmp_path: Path) -> Path:
    """A models directory holding a verified copy of the int8 model and its manifest."""
    ensure_built(ONNX)
    spec = get_spec(MODELS, ONNX)
    (tmp_path / f"{ONNX}.json").write_text((MODELS / f"{ONNX}.json").read_text())
    source = spec.path(MODELS).parent
    shutil.copytree(source, spec.path(tmp_path).parent)
    return tmp_path


def test_a_corrupted_model_is_refused_with_a_clear_error(models_copy: Path) -> None:
    spec = get_spec(models_copy, ONNX)
    path = spec.path(models_copy)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelChecksumMismatch, match="appliance models build"):
        verify(spec, models_copy)


def test_a_missing_model_says_how_to_build_it(tmp_path: Path) -> None:
    (tmp_path / f"{ONNX}.json").write_text((MODELS / f"{ONNX}.json").read_text())
    with pytest.raises(ModelNotFound, match="appliance models build"):
        verify(get_spec(tmp_path, ONNX), tmp_path)
    with pytest.raises(ModelNotFound, match="no model manifest named 'nope'"):
        get_spec(tmp_path, "nope")


def test_a_build_record_is_trusted_only_for_the_manifests_source_weights(models_copy: Path) -> None:
    spec = get_spec(models_copy, ONNX)
    manifest = json.loads((models_copy / f"{ONNX}.json").read_text())
    manifest["sha256"] = "0" * 64  # as if the reference build came from another toolchain
    (models_copy / f"{ONNX}.json").write_text(json.dumps(manifest))
    spec = get_spec(models_copy, ONNX)
    record = BuildRecord.model_validate_json(spec.record_path(models_copy).read_text())
    assert verify(spec, models_copy) == spec.path(models_copy)  # trusted: same source weights
    write_record(
        record.model_copy(update={"source_sha256": {"model.safetensors": "1" * 64}}), spec, models_copy
    )
    with pytest.raises(ModelChecksumMismatch):
        verify(spec, models_copy)


def test_the_appliance_falls_back_to_the_labelled_lexical_grader(tmp_path: Path) -> None:
    (tmp_path / f"{ONNX}.json").write_text((MODELS / f"{ONNX}.json").read_text())
    grader = load_grader(Settings(models_dir=tmp_path, accelerator="cpu"))
    assert isinstance(grader, LexicalGrader)
    info = grader.describe()
    assert info.model_id == "lexical-fallback" and "appliance models build" in (info.fallback_reason or "")
    with pytest.raises(ModelError):
        load_grader(Settings(models_dir=tmp_path, accelerator="cpu"), strict=True)


def test_settings_select_the_onnx_grader_or_the_lexical_one(models_copy: Path) -> None:
    onnx = load_grader(Settings(models_dir=models_copy, accelerator="cpu"))
    assert isinstance(onnx, OnnxGrader) and onnx.describe().provider == "CPUExecutionProvider"
    lexical = load_grader(Settings(models_dir=models_copy, grader_backend="lexical"))
    assert isinstance(lexical, LexicalGrader)
    missing_llm = load_grader(Settings(models_dir=models_copy, grader_backend="gguf", gguf_model="nope"))
    assert isinstance(missing_llm, OnnxGrader)


@pytest.mark.slow
def test_building_from_the_source_package_reproduces_the_manifest_checksum(tmp_path: Path) -> None:
    (tmp_path / f"{ONNX}.json").write_text((MODELS / f"{ONNX}.json").read_text())
    spec = get_spec(tmp_path, ONNX)
    record = build_model(spec, tmp_path, quiet=True)
    assert record.matches_manifest and record.sha256 == spec.sha256
    assert verify(spec, tmp_path).stat().st_size > 10_000_000
    assert build_model(spec, tmp_path, quiet=True) == record  # a second build is a no-op


def test_models_whose_source_package_is_absent_are_skipped_unless_named(tmp_path: Path) -> None:
    manifest = json.loads((MODELS / "gemma3-270m-q4km.json").read_text())
    manifest.update(name="optional-llm", source_module="no_such_package_here", source_package="nope==1")
    (tmp_path / "optional-llm.json").write_text(json.dumps(manifest))
    (outcome,) = build_models(tmp_path)
    assert outcome.record is None and "nope==1 is not installed" in (outcome.skipped or "")
    with pytest.raises(ModelBuildError, match="nope==1 is not installed"):
        build_models(tmp_path, ("optional-llm",))
