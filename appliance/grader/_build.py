"""Build model files from their source packages, offline, with a progress display and a build record.

The export tools (torch, optimum, transformers) are an optional extra (``ward-appliance[build]``) and are
imported only inside :func:`_export_onnx`, so the runtime never loads them.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.metadata
import importlib.util
import logging
import os
import shutil
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.grader._errors import ModelBuildError, ModelChecksumMismatch, ModelError
from appliance.grader._registry import BuildRecord, ModelSpec, list_specs, sha256_file, verify, write_record

log = logging.getLogger(__name__)

TOOLCHAIN = ("torch", "transformers", "optimum", "optimum-onnx", "onnx", "onnxruntime")
TOKENIZER_FILE = "tokenizer.json"


def _source_dir(spec: ModelSpec) -> Path:
    """Return the directory holding the source package's weights."""
    if spec.source_module is None:
        raise ModelBuildError(f"model {spec.name!r} names no source_module to build from")
    try:
        module = importlib.import_module(spec.source_module)
    except ImportError as err:
        raise ModelBuildError(
            f"model {spec.name!r}: source package {spec.source_package} is not installed"
        ) from err
    getter = getattr(module, "get_model_path", None)
    return Path(getter()) if getter else Path(module.__file__ or ".").parent


def _check_sources(spec: ModelSpec, source: Path) -> None:
    """Verify the source weights are the ones the manifest names."""
    for name, expected in spec.source_sha256.items():
        path = source / name
        if not path.is_file():
            raise ModelBuildError(f"model {spec.name!r}: source file {path} is missing")
        actual = sha256_file(path)
        if actual != expected:
            raise ModelChecksumMismatch(str(path), expected, actual)


def _toolchain() -> dict[str, str]:
    versions = {}
    for dist in TOOLCHAIN:
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


@contextmanager
def _staging(target: Path) -> Iterator[Path]:
    """Yield a scratch directory beside the target, removed afterwards."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=target.parent))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _export_onnx(spec: ModelSpec, source: Path, scratch: Path, bar: Any) -> Path:
    """Export the transformer to ONNX with optimum and quantize it when the spec asks for int8."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        # Optional extra, imported only here so the runtime never loads torch.
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from optimum.exporters.onnx import main_export
    except ImportError as err:
        raise ModelBuildError(
            "building ONNX models needs the build extra: pip install 'ward-appliance[build]'"
        ) from err
    bar.set_postfix_str("export ONNX (optimum)")
    exported = scratch / "export"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer and deprecation chatter from torch/transformers
            main_export(
                str(source),
                output=exported,
                task="feature-extraction",
                library_name="transformers",
                local_files_only=True,
                do_validation=False,
            )
    except Exception as err:
        raise ModelBuildError(f"model {spec.name!r}: ONNX export failed: {err}") from err
    bar.update(1)
    model = exported / "model.onnx"
    if spec.quantization.startswith("int8"):
        bar.set_postfix_str("quantize int8 per-channel")
        quantized = scratch / "model_int8.onnx"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                quantize_dynamic(model, quantized, per_channel=True, weight_type=QuantType.QInt8)
        except Exception as err:
            raise ModelBuildError(f"model {spec.name!r}: quantization failed: {err}") from err
        model = quantized
    bar.update(1)
    return model


def _quantize(spec: ModelSpec, model: Path, scratch: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantized = scratch / "model_int8.onnx"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantize_dynamic(model, quantized, per_channel=True, weight_type=QuantType.QInt8)
    except Exception as err:
        raise ModelBuildError(f"model {spec.name!r}: quantization failed: {err}") from err
    return quantized


def _train_entailment(spec: ModelSpec, source: Path, scratch: Path, bar: Any) -> Path:
    """Fine-tune the entailment model (or reuse this machine's cached result) and quantize it."""
    from appliance.grader._train import Recipe, cache_dir, cache_key, train

    recipe = Recipe()
    key = cache_key(recipe, spec.source_sha256)
    if spec.training_key is not None and key != spec.training_key:
        raise ModelBuildError(
            f"model {spec.name!r}: the training corpus or recipe changed (key {key}, manifest "
            f"{spec.training_key}); update training_key in its manifest"
        )
    cached = cache_dir() / f"{spec.name}-{key}" / "model.onnx"
    if cached.is_file():
        bar.set_postfix_str(f"cached fine-tune {cached.parent}")
        bar.update(2)
        return cached
    bar.set_postfix_str("fine-tune (about 10 minutes on 2 idle cores)")
    trained = train(source, scratch / "trained", recipe, bar)
    model = _quantize(spec, trained, scratch) if spec.quantization.startswith("int8") else trained
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    shutil.copyfile(model, partial)
    os.replace(partial, cached)
    return cached


def _assemble_chunks(spec: ModelSpec, scratch: Path, bar: Any) -> Path:
    """Concatenate a chunked model package's parts into one file."""
    module = importlib.import_module(spec.source_module or "")
    chunks = [Path(p) for p in module.chunk_paths()]
    missing = [str(p) for p in chunks if not p.is_file()]
    if missing:
        raise ModelBuildError(f"model {spec.name!r}: missing chunk file(s): {', '.join(missing)}")
    out = scratch / Path(spec.file).name
    bar.set_postfix_str(f"assemble {len(chunks)} chunks")
    with out.open("wb") as sink:
        for chunk in chunks:
            with chunk.open("rb") as part:
                shutil.copyfileobj(part, sink, 1 << 22)
    bar.update(2)
    return out


def build_model(
    spec: ModelSpec, models_dir: Path, *, force: bool = False, quiet: bool = False
) -> BuildRecord:
    """Build one model file from its source package, verify it and write its build record.

    :raises ModelBuildError: the source package is missing or the export failed.
    :raises ModelChecksumMismatch: the source weights, or a byte-deterministic output, differ from the manifest.
    """
    target = spec.path(models_dir)
    if spec.export_recipe == "provided":
        verify(spec, models_dir)
        raise ModelBuildError(f"model {spec.name!r} is provided as a file; nothing to build (it verifies)")
    if not force:
        try:
            verify(spec, models_dir)
        except ModelError:
            pass
        else:
            record = _read_existing(spec, models_dir)
            if record is not None:
                return record
    started = time.perf_counter()
    with (
        _progress(spec.name, quiet) as bar,
        _staging(target) as tmp,
    ):
        bar.set_postfix_str("verify sources")
        source = _source_dir(spec)
        _check_sources(spec, source)
        bar.update(1)
        if spec.export_recipe == "optimum-feature-extraction":
            built = _export_onnx(spec, source, tmp, bar)
            assets = {TOKENIZER_FILE: source / TOKENIZER_FILE}
        elif spec.export_recipe == "train-entailment":
            cached = _train_entailment(spec, source, tmp, bar)
            built = tmp / "model.onnx"
            shutil.copyfile(cached, built)
            assets = {TOKENIZER_FILE: source / TOKENIZER_FILE}
        else:
            built = _assemble_chunks(spec, tmp, bar)
            assets = {}
        bar.set_postfix_str("checksum")
        sha = sha256_file(built)
        if spec.sha256 is not None and sha != spec.sha256 and spec.export_recipe == "assemble-chunks":
            raise ModelChecksumMismatch(str(built), spec.sha256, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        for name, path in assets.items():
            shutil.copyfile(path, target.parent / name)
        os.replace(built, target)
        bar.update(1)
        record = BuildRecord(
            training_key=spec.training_key,
            seconds=round(time.perf_counter() - started, 1),
            name=spec.name,
            sha256=sha,
            assets={name: sha256_file(target.parent / name) for name in assets},
            source_sha256=spec.source_sha256,
            matches_manifest=sha == spec.sha256,
            toolchain=_toolchain(),
            built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        write_record(record, spec, models_dir)
        bar.set_postfix_str("done" if record.matches_manifest else "done (not byte-identical to manifest)")
        bar.update(1)
    if not record.matches_manifest:
        log.warning(
            "model %s built with sha256 %s, not the manifest's reference %s (different toolchain?); "
            "the build record is trusted because the source weights match",
            spec.name,
            sha[:12],
            (spec.sha256 or "none")[:12],
        )
    return record


def _progress(name: str, quiet: bool) -> Any:
    """Return a tqdm progress bar (tqdm ships with the build extra, so it is imported only here)."""
    from tqdm import tqdm

    return tqdm(total=5, desc=name, disable=quiet, leave=True, unit="step")


def _read_existing(spec: ModelSpec, models_dir: Path) -> BuildRecord | None:
    path = spec.record_path(models_dir)
    return BuildRecord.model_validate_json(path.read_text(encoding="utf-8")) if path.is_file() else None


@dataclass(frozen=True, slots=True)
class BuildOutcome:
    """What ``build_models`` did for one model: built (with its record) or skipped (with the reason)."""

    name: str
    record: BuildRecord | None
    skipped: str | None = None


def build_models(
    models_dir: Path, names: tuple[str, ...] = (), *, force: bool = False, quiet: bool = False
) -> tuple[BuildOutcome, ...]:
    """Build every buildable model in the registry (or only ``names``).

    Provided files are never built. Without ``names``, a model whose source package is not installed (an
    optional extra, e.g. the GGUF test model) is skipped with the reason; a named one is an error.

    :raises ModelBuildError: a build failed, or a named model cannot be built.
    """
    specs = [
        s for s in list_specs(models_dir) if s.export_recipe != "provided" and (not names or s.name in names)
    ]
    unknown = set(names) - {s.name for s in specs}
    if unknown:
        raise ModelBuildError(f"no buildable model named {', '.join(sorted(unknown))}")
    outcomes = []
    for spec in specs:
        if not names and spec.optional:
            outcomes.append(
                BuildOutcome(spec.name, None, f"optional: build it with `models build {spec.name}`")
            )
            continue
        if not names and spec.source_module and importlib.util.find_spec(spec.source_module) is None:
            reason = f"source package {spec.source_package} is not installed"
            log.warning("skipping model %s: %s", spec.name, reason)
            outcomes.append(BuildOutcome(spec.name, None, reason))
            continue
        outcomes.append(BuildOutcome(spec.name, build_model(spec, models_dir, force=force, quiet=quiet)))
    return tuple(outcomes)
