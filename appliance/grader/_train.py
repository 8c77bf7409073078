"""Fine-tune the key-point entailment model at build time (torch, build extra only) and export it to ONNX.

The recipe: the first ``layers`` transformer layers of the shipped all-MiniLM-L6-v2 weights, a mean-pooled
linear head with three classes (entails, contradicts, neutral), trained on ``_corpus.pairs`` with AdamW, a
fixed seed and a fixed thread count, so one machine type gives the same bytes every time. The result is
cached under ``~/.cache/ward-appliance/`` keyed by the corpus, recipe and source-weight hashes.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from appliance.grader._corpus import corpus_sha256, pairs
from appliance.grader._errors import ModelBuildError

MAX_PAIR_TOKENS = 96


@dataclass(frozen=True, slots=True)
class Recipe:
    """Every knob of the fine-tune (hashed into the cache key)."""

    layers: int = 6
    epochs: int = 2
    batch: int = 32
    lr: float = 6e-5
    warmup: float = 0.1
    seed: int = 13
    threads: int = 2
    version: str = "2"


def cache_dir() -> Path:
    """Return the per-machine build cache (``WARD_CACHE_DIR`` or ``~/.cache/ward-appliance``)."""
    return Path(os.environ.get("WARD_CACHE_DIR") or Path.home() / ".cache" / "ward-appliance")


def cache_key(recipe: Recipe, source_sha256: dict[str, str]) -> str:
    """Hash of the training corpus, the recipe and the source weights."""
    payload = json.dumps(
        {"corpus": corpus_sha256(pairs(recipe.seed)), "recipe": asdict(recipe), "source": source_sha256},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:24]


class _CrossEncoder:  # built lazily so importing this module never imports torch
    @staticmethod
    def make(source: Path, layers: int) -> Any:
        import torch
        from transformers import AutoModel

        class Model(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.bert = AutoModel.from_pretrained(str(source), local_files_only=True)
                self.bert.encoder.layer = self.bert.encoder.layer[:layers]
                self.bert.config.num_hidden_layers = layers
                self.head = torch.nn.Linear(self.bert.config.hidden_size, 3)

            def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
                hidden = self.bert(
                    input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
                ).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
                return self.head(pooled)

        return Model()


def _bucketed(items: list[tuple[str, str, int]], size: int, rng: random.Random) -> list[tuple[str, str, int]]:
    """Shuffle, sort each run of 20 batches by length (less padding: a third fewer tokens), shuffle the batches."""
    order = list(items)
    rng.shuffle(order)
    batches: list[list[tuple[str, str, int]]] = []
    for start in range(0, len(order), 20 * size):
        run = sorted(order[start : start + 20 * size], key=lambda x: len(x[0]) + len(x[1]))
        batches += [run[i : i + size] for i in range(0, len(run), size)]
    rng.shuffle(batches)
    return [item for batch in batches for item in batch]


def _batches(tokenizer: Any, items: list[tuple[str, str, int]], size: int) -> list[tuple[Any, ...]]:
    import torch

    out = []
    for start in range(0, len(items), size):
        chunk = items[start : start + size]
        enc = tokenizer(
            [p for p, _, _ in chunk], [h for _, h, _ in chunk], padding=True, truncation=True,
            max_length=MAX_PAIR_TOKENS, return_tensors="pt",
        )  # fmt: skip
        labels = torch.tensor([y for *_, y in chunk], dtype=torch.long)
        out.append((enc["input_ids"], enc["attention_mask"], enc["token_type_ids"], labels))
    return out


def train(source: Path, out_dir: Path, recipe: Recipe, bar: Any = None) -> Path:
    """Fine-tune, export ``model.onnx`` (fp32) and the tokenizer into ``out_dir``; return the ONNX path.

    :raises ModelBuildError: the build extra is missing or training/export failed.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        import numpy as np
        import torch
        from transformers import AutoTokenizer
    except ImportError as err:
        raise ModelBuildError("training the entailment model needs the build extra") from err
    torch.set_num_threads(recipe.threads)
    torch.manual_seed(recipe.seed)
    random.seed(recipe.seed)
    np.random.seed(recipe.seed)
    torch.use_deterministic_algorithms(True)
    tokenizer = AutoTokenizer.from_pretrained(str(source), local_files_only=True)
    model = _CrossEncoder.make(source, recipe.layers)
    items = pairs(recipe.seed)
    counts = np.bincount([y for *_, y in items], minlength=3).astype(np.float64)
    weights = torch.tensor(counts.sum() / (3 * counts), dtype=torch.float32)
    params = [p for n, p in model.named_parameters() if "embeddings" not in n]
    for n, p in model.named_parameters():
        p.requires_grad = "embeddings" not in n  # frozen word embeddings: faster, less drift from the prior
    optimiser = torch.optim.AdamW(params, lr=recipe.lr, weight_decay=0.01)
    steps = recipe.epochs * ((len(items) + recipe.batch - 1) // recipe.batch)
    warm = max(1, int(recipe.warmup * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    if bar is not None:
        bar.reset(total=steps + 2)
    rng = random.Random(recipe.seed)
    model.train()
    for _ in range(recipe.epochs):
        for ids, mask, types, labels in _batches(
            tokenizer, _bucketed(items, recipe.batch, rng), recipe.batch
        ):
            loss = torch.nn.functional.cross_entropy(model(ids, mask, types), labels, weight=weights)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            if bar is not None:
                bar.set_postfix_str(f"train loss {loss.item():.3f}")
                bar.update(1)
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = out_dir / "model.onnx"
    sample = tokenizer(["a key point"], ["a sentence"], return_tensors="pt")
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model,
                (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                str(onnx_path),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["logits"],
                dynamic_axes={
                    n: {0: "batch", 1: "tokens"} for n in ("input_ids", "attention_mask", "token_type_ids")
                }
                | {"logits": {0: "batch"}},
                opset_version=17,
                dynamo=False,
            )
    except Exception as err:
        raise ModelBuildError(f"entailment model export failed: {err}") from err
    shutil.copyfile(source / "tokenizer.json", out_dir / "tokenizer.json")
    if bar is not None:
        bar.update(1)
    return onnx_path
