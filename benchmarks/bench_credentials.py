"""Credential benchmark: the demo learner's three credentials, then signing, verifying and baking them.

    .venv/bin/python benchmarks/bench_credentials.py             # 50 rounds
    .venv/bin/python benchmarks/bench_credentials.py --rounds 10

Prints median and p95 milliseconds per credential for: issuing (read the attempts, build, RDFC + Ed25519),
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

from appliance.config import load_settings
from appliance.services import open_services
from tests.credentials.conftest import pass_module


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
            issuer = svc.credentials.site.issuer
            specs = {c.id: c for c in svc.curriculum.taxonomy.credentials}
            records = {r.record_id: r for r in svc.store.credentials.for_learner(nurse.user_id)}
            verifier = svc.credentials.site.verifier()
            signing, verifying, baking = [], [], []
            for _ in range(rounds):
                for view in views:
                    spec = specs[records[view.record_id].credential_id]
                    started = time.perf_counter()
                    issuer.issue(nurse.user_id, spec, {"average_score": 0.9}, datetime.now(UTC))
                    signing.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    assert verifier.verify(view.json).valid
                    verifying.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    svc.credentials.baked_png(view)
                    baking.append(time.perf_counter() - started)
            sizes = [len(json.dumps(v.document)) for v in views]
            print(
                f"credentials: {len(views)} ({', '.join(v.level for v in views)}), JSON {min(sizes)}-{max(sizes)} B"
            )
            print(f"issue:  {_ms(signing)}")
            print(f"verify: {_ms(verifying)}")
            print(f"bake:   {_ms(baking)}")
        finally:
            svc.close()


if __name__ == "__main__":
    main()
