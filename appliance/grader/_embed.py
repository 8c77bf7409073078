"""Sentence embeddings with onnxruntime: tokenise, run in length buckets, mean-pool, L2-normalise."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from appliance.grader._errors import ModelError

log = logging.getLogger(__name__)

Accelerator = str  # "auto" | "cpu" | "cuda" | "tensorrt"
_PROVIDERS = {
    "tensorrt": "TensorrtExecutionProvider",
    "cuda": "CUDAExecutionProvider",
    "cpu": "CPUExecutionProvider",
}
MAX_TOKENS = 256


def choose_providers(accelerator: Accelerator, available: Sequence[str] | None = None) -> list[str]:
    """Return onnxruntime execution providers in preference order for the requested accelerator."""
    available = list(ort.get_available_providers() if available is None else available)
    if accelerator == "auto":
        wanted = [p for p in (_PROVIDERS["tensorrt"], _PROVIDERS["cuda"]) if p in available]
    elif accelerator in ("cuda", "tensorrt"):
        wanted = [_PROVIDERS[accelerator]] if _PROVIDERS[accelerator] in available else []
        if not wanted:
            log.warning(
                "accelerator %r requested but onnxruntime offers only %s; using CPU", accelerator, available
            )
        elif accelerator == "tensorrt" and _PROVIDERS["cuda"] in available:
            wanted.append(_PROVIDERS["cuda"])
    else:
        wanted = []
    return [*wanted, _PROVIDERS["cpu"]]


def buckets(lengths: Sequence[int], run_cost: int = 16) -> list[list[int]]:
    """Group item indices into runs by length, minimising padded tokens plus ``run_cost`` tokens per run.

    Sorted by length, the best split points come from a small dynamic programme (n is at most ~100).
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    sizes = [lengths[i] for i in order]
    best = [0.0] + [float("inf")] * len(sizes)
    cut = [0] * (len(sizes) + 1)
    for end in range(1, len(sizes) + 1):
        for start in range(end):
            cost = best[start] + (end - start) * sizes[end - 1] + run_cost
            if cost < best[end]:
                best[end], cut[end] = cost, start
    groups, end = [], len(sizes)
    while end > 0:
        groups.append(order[cut[end] : end])
        end = cut[end]
    return groups[::-1]


class OnnxEmbedder:
    """Embeds texts with a sentence-transformer exported to ONNX; thread-safe (``run`` is)."""

    def __init__(
        self, model: Path, tokenizer: Path, providers: Sequence[str], threads: int | None = None
    ) -> None:
        """Load the ONNX session and tokenizer.

        :raises ModelError: onnxruntime or tokenizers cannot read the files.
        """
        options = ort.SessionOptions()
        self.threads: int = threads or min(4, os.cpu_count() or 1)
        options.intra_op_num_threads = self.threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(model), options, providers=list(providers))
            self._tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as err:
            raise ModelError(f"cannot load {model}: {err}") from err
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.provider: str = self._session.get_providers()[0]
        self.dimension: int = int(self._session.get_outputs()[0].shape[-1] or 0)
        log.info("grader embeddings run on %s (%s)", self.provider, model.name)

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Return token ids per text ([CLS] ... [SEP], truncated to ``MAX_TOKENS``)."""
        return [enc.ids for enc in self._tokenizer.encode_batch(list(texts), add_special_tokens=True)]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one L2-normalised float32 row per text, run in length buckets that keep padding small."""
        if not texts:
            return np.zeros((0, self.dimension or 384), dtype=np.float32)
        ids = self.tokenize(texts)
        out = np.zeros((len(texts), self.dimension or 384), dtype=np.float32)
        for group in buckets([len(row) for row in ids]):
            out[group] = self._run([ids[i] for i in group])
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros_like(input_ids)
        for n, row in enumerate(batch):
            input_ids[n, : len(row)] = row
            mask[n, : len(row)] = 1
        feed = {"input_ids": input_ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(input_ids)
        hidden = self._session.run(None, feed)[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

    def vocabulary(self) -> frozenset[str]:
        """Return the tokenizer's whole-word entries (used to tell prose from gibberish)."""
        return frozenset(w for w in self._tokenizer.get_vocab() if w.isalpha() and w.isascii())
