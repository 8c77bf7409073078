"""Credential benchmark: the demo learner's three credentials, then signing, verifying and baking them.

    .venv/bin/python benchmarks/bench_credentials.py             # 50 rounds
    .venv/bin/python benchmarks/bench_credentials.py --rounds 10

Prints median and p95 milliseconds per credential for: issuing (build + RDFC canonicalisation + Ed25519),
verifying (all checks: schema, signature, dates, status list signature + bit), baking a PNG, and the size
of the JSON. One thread, on whatever CPU runs it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from appliance.config import load_settings  # noqa: E402
from appliance.credentials._proof import sign  # noqa: E402
from appliance.services import open_services  # noqa: E402
from tests.credentials.conftest import pass_module  # noqa: E402


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        svc = open_services(load_settings(data_dir=Path(tmp) / "ward-data", grader_backend="lexical"))
        try:
            admin = svc.auth.provision("NICU", "A100", "Ada Admin", "402917")
            nurse = svc.auth.create_user(admin.user_id, "N200", "Nia", ("learner",), "nicu-nurse", "583920")
            for module in svc.curriculum.curriculum.modules:
                pass_module(svc, nurse, module.id)
            views = svc.credentials.for_learner(nurse.user_id)
            key = svc.credentials.site.key
            verifier = svc.credentials.site.verifier()
            signing, verifying, baking = [], [], []
            for _ in range(rounds):
                for view in views:
                    unsigned = {k: v for k, v in view.document.items() if k != "proof"}
                    started = time.perf_counter()
                    sign(unsigned, key, datetime.now(UTC))
                    signing.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    assert verifier.verify(view.json).valid
                    verifying.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    svc.credentials.baked_png(view)
                    baking.append(time.perf_counter() - started)
            sizes = [len(json.dumps(v.document)) for v in views]
            print(f"credentials: {len(views)} ({', '.join(v.level for v in views)}), JSON {min(sizes)}-{max(sizes)} B")
            print(f"sign:   {_ms(signing)}")
            print(f"verify: {_ms(verifying)}")
            print(f"bake:   {_ms(baking)}")
        finally:
            svc.close()


if __name__ == "__main__":
    main()
