"""Pick and load the grader the settings ask for, falling back to the lexical grader instead of crashing."""

from __future__ import annotations

import logging

from appliance.config import Settings
from appliance.grader._combined import CombinedGrader
from appliance.grader._embed import choose_providers
from appliance.grader._errors import GraderError, ModelError
from appliance.grader._gguf import GgufJudge
from appliance.grader._graders import BaseGrader, LexicalGrader, OnnxGrader, RubricGrader
from appliance.grader._params import ScoringParams
from appliance.grader._registry import get_spec, verify

log = logging.getLogger(__name__)

DEFAULT_ONNX = "all-minilm-l6-v2-int8"
GPU_ONNX = "all-minilm-l6-v2-fp32"
ENTAIL_ONNX = "minilm-entail-int8"
"""The key-point entailment model (fine-tuned at build time). Off by default: v1 and v2 (a corpus three times
larger, all 6 layers) both lower pass/fail agreement and red-flag recall on the blind set (docs/grading.md)."""
"""On a GPU provider the fp32 export is used: int8 dynamic-quantized ops would run on the CPU anyway."""


def load_onnx(
    settings: Settings, params: ScoringParams | None = None, *, entailment: bool = False
) -> OnnxGrader:
    """Load the ONNX grader on the best execution provider the settings allow; with ``entailment`` also the
    (optional, off by default) key-point entailment model.

    :raises ModelError: the model is missing, does not verify, or cannot be loaded.
    """
    models_dir = settings.models_dir
    name = DEFAULT_ONNX
    if choose_providers(settings.accelerator)[0] != "CPUExecutionProvider":
        try:
            verify(get_spec(models_dir, GPU_ONNX), models_dir)
            name = GPU_ONNX
        except ModelError as err:
            log.info("GPU present but %s unusable (%s); using %s", GPU_ONNX, err, DEFAULT_ONNX)
    entail_spec = None
    if entailment:
        try:
            entail_spec = get_spec(models_dir, ENTAIL_ONNX)
            verify(entail_spec, models_dir)
        except ModelError as err:
            log.error("entailment model unusable (%s); grading on embeddings only", err)
            entail_spec = None
    return OnnxGrader.load(
        get_spec(models_dir, name), models_dir, accelerator=settings.accelerator, params=params,
        entail_spec=entail_spec,
    )  # fmt: skip


def load_grader(
    settings: Settings, *, strict: bool = False, params: ScoringParams | None = None
) -> BaseGrader:
    """Return the grader for ``settings.grader_backend``; on a model problem log it and fall back to the
    clearly labelled lexical grader (model id ``lexical-fallback``) unless ``strict``.

    :raises GraderError: only when ``strict`` and the configured backend cannot be loaded.
    """
    if settings.grader_backend == "lexical":
        return LexicalGrader(reason="configured: grader_backend=lexical", params=params)
    base: RubricGrader
    try:
        base = load_onnx(settings, params)
    except GraderError as err:
        if strict:
            raise
        log.error("ONNX grader unavailable, falling back to the lexical grader: %s", err)
        base = LexicalGrader(reason=str(err), params=params)
    if not settings.gguf_model:
        if settings.grader_backend == "gguf":
            message = "grader_backend=gguf needs gguf_model (the name of a GGUF model manifest)"
            if strict:
                raise GraderError(message)
            log.error("%s; using %s", message, base.model_id)
        return base
    try:
        judge = GgufJudge.load(get_spec(settings.models_dir, settings.gguf_model), settings.models_dir,
                               accelerator=settings.accelerator)  # fmt: skip
    except GraderError as err:
        if strict:
            raise
        log.error("GGUF judge %s unavailable, grading without it: %s", settings.gguf_model, err)
        return base
    if settings.grader_backend == "gguf":
        return CombinedGrader(base, judge, policy="always")
    if not judge.spec.capable_judge:
        log.warning("GGUF model %s is not marked capable_judge in its manifest; not used", judge.spec.name)
        return base
    return CombinedGrader(base, judge)
