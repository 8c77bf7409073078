"""The key-point entailment model at run time: does this sentence *state* that key point (onnxruntime, int8)?

A cross-encoder reads "[CLS] key point [SEP] sentence [SEP]" and returns three probabilities: entails,
contradicts (negated, hedged, deferred, the opposite, or the stated intention to do the unsafe thing) and
neutral. It is trained at build time (``_train.py``) on the project's own corpus (``_corpus_data.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from appliance.grader._embed import buckets
from appliance.grader._errors import ModelError

log = logging.getLogger(__name__)

MAX_PAIR_TOKENS = 96
ENTAILS, CONTRADICTS, NEUTRAL = 0, 1, 2


class OnnxEntailer:
    """Scores (premise, statement) pairs; thread-safe (onnxruntime's ``run`` is)."""

    def __init__(self, model: Path, tokenizer: Path, providers: Sequence[str], threads: int = 1) -> None:
        """Load the session and tokenizer.

        :raises ModelError: onnxruntime or tokenizers cannot read the files.
        """
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(str(model), options, providers=list(providers))
            self._tokenizer = Tokenizer.from_file(str(tokenizer))
        except Exception as err:
            raise ModelError(f"cannot load {model}: {err}") from err
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=MAX_PAIR_TOKENS)
        self.provider: str = self._session.get_providers()[0]

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Return an (n, 3) array of probabilities (entails, contradicts, neutral), one row per pair."""
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        encoded = self._tokenizer.encode_batch([(p, h) for p, h in pairs], add_special_tokens=True)
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        for group in buckets([len(e.ids) for e in encoded]):
            batch = [encoded[i] for i in group]
            width = max(len(e.ids) for e in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            types = np.zeros_like(ids)
            mask = np.zeros_like(ids)
            for n, e in enumerate(batch):
                ids[n, : len(e.ids)] = e.ids
                types[n, : len(e.type_ids)] = e.type_ids
                mask[n, : len(e.ids)] = 1
            logits = self._session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )[0]
            shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[group] = shifted / shifted.sum(axis=1, keepdims=True)
        return out
