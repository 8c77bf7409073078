"""Load benchmark: N learners play a demo scenario at once against a real `appliance serve` process.

Measures submit-rationale -> feedback time (the HTTP round trip that grades and stores a decision) and the
server's resident memory, on loopback only. Learners use the JSON API, which calls the same
``PlayerService.async_submit`` as the player page.

Example:
    .venv/bin/python benchmarks/bench_ward_load.py --learners 50 --rounds 2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from appliance.config import load_settings
from appliance.engine import ChoiceRating, DecisionNode
from appliance.engine.curriculum import load_curriculum
from appliance.services.parts import AuthService
from appliance.store import Store

MODULE, SCENARIO = "ai-safety-sepsis", "quiet-alert"
RATIONALES = [
    "Her obs are worse than the score suggests: more apnoeas and desats, HR up, mottled and floppy. The "
    "NeoSense score was calculated at 01:00 before these obs and does not use my assessment, so a low score "
    "does not rule out sepsis. I will call the registrar now with an SBAR, ask for an urgent review and a "
    "septic screen, stay with her and repeat obs, and document the score and why I acted against it.",
    "I trust my bedside assessment over the tool here. She has a central line and is very preterm, which are "
    "risk factors, and she is handling poorly. Escalate now, do not wait for the 04:00 recalculation.",
    "The AI says low risk so I think it is probably fine, I will keep an eye on her and recheck at 06:00.",
    "Call the reg, she looks septic. SBAR: 28 weeker day 9, PICC, more A&Bs, O2 up to 32%, HR 186, temp 37.9.",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _provision(data_dir: Path, learners: int) -> list[tuple[str, str]]:
    settings = load_settings(data_dir=data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with Store.from_settings(settings) as store:
        auth = AuthService(store)
        admin = auth.provision("Load test ward", "A0", "Admin", "402917")
        staff = []
        for n in range(learners):
            staff_id, pin = f"N{n:03d}", f"{530000 + 7919 * n % 400000:06d}"
            auth.create_user(admin.user_id, staff_id, f"Nurse {n}", ("learner",), "nicu-nurse", pin)
            staff.append((staff_id, pin))
    return staff


def _rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def _learner(
    client: httpx.AsyncClient,
    staff_id: str,
    pin: str,
    rounds: int,
    decisions: dict[str, DecisionNode],
    latencies: list[float],
    errors: list[str],
    rng: random.Random,
    think: float,
) -> None:
    token = (await client.post("/api/v1/session", json={"staff_id": staff_id, "pin": pin})).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    for _ in range(rounds):
        view = (
            await client.post(
                f"/api/v1/modules/{MODULE}/scenarios/{SCENARIO}/attempt", params={"new": True}, headers=auth
            )
        ).json()
        while view["status"] == "active":
            if think:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
            attempt = view["attempt_id"]
            if view["node"]["kind"] == "decision":
                node = decisions[view["node"]["id"]]
                best = next(c for c in node.choices if c.rating is ChoiceRating.BEST)
                body = {
                    "revision": view["revision"],
                    "choice_id": best.id,
                    "rationale": rng.choice(RATIONALES),
                }
                started = time.perf_counter()
                response = await client.post(f"/api/v1/attempts/{attempt}/decisions", json=body, headers=auth)
                latencies.append(time.perf_counter() - started)
            else:
                response = await client.post(
                    f"/api/v1/attempts/{attempt}/advance", params={"revision": view["revision"]}, headers=auth
                )
            if response.status_code != 200:
                errors.append(f"{response.status_code} {response.text[:120]}")
                return
            view = response.json()


async def _run(
    url: str, staff: list[tuple[str, str]], rounds: int, seed: int, think: float, tls: ssl.SSLContext
) -> tuple[list[float], list[str], float]:
    """Each learner is a tablet with its own loopback address (127.0.1.N), as on a real ward LAN."""
    scenario = load_curriculum(load_settings().curriculum_dir).module(MODULE).scenario(SCENARIO)
    decisions = {n.id: n for n in scenario.nodes if isinstance(n, DecisionNode)}
    latencies: list[float] = []
    errors: list[str] = []
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    base_url=url,
                    timeout=60,
                    transport=httpx.AsyncHTTPTransport(
                        local_address=f"127.0.{1 + i // 250}.{1 + i % 250}", verify=tls
                    ),
                )
            )
            for i in range(len(staff))
        ]
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _learner(
                    clients[i], s, p, rounds, decisions, latencies, errors, random.Random(seed + i), think
                )
                for i, (s, p) in enumerate(staff)
            )
        )
        return latencies, errors, time.perf_counter() - started


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    """Run the benchmark and print a table and a JSON line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2, help="Play-throughs per learner.")
    parser.add_argument("--backend", choices=["auto", "lexical"], default="auto")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="Mean seconds a learner reads or writes between actions (0 = no pause: a saturation test).",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "ward-data"
        print(f"provisioning {args.learners} learners ...", flush=True)
        staff = _provision(data, args.learners)
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
        env |= {
            "WARD_DATA_DIR": str(data),
            "WARD_HOST": "127.0.0.1",
            "WARD_PORT": str(port),
            "WARD_HTTP_PORT": "0",
            "WARD_GRADER_BACKEND": args.backend,
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "appliance.cli", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"https://127.0.0.1:{port}"
        ca = data / "tls" / "ca.pem"
        tls = ssl.create_default_context()
        try:
            started = time.perf_counter()
            while True:
                try:
                    if ca.exists():
                        tls = ssl.create_default_context(cafile=str(ca))
                        if httpx.get(f"{url}/healthz", timeout=1, verify=tls).status_code == 200:
                            break
                except (httpx.HTTPError, ssl.SSLError):
                    time.sleep(0.1)
                if time.perf_counter() - started > 60:
                    raise SystemExit("the server did not start within 60 s")
            ready = time.perf_counter() - started
            while not httpx.get(f"{url}/healthz", verify=tls).json()["grader"].get("warm", True):
                time.sleep(0.5)  # a ward's learners arrive long after start-up: wait for the warm-up
            grader = httpx.get(f"{url}/healthz", verify=tls).json()["grader"]
            idle_rss, _ = _rss_mb(server.pid)
            print(
                f"server answered after {ready:.1f} s; grader {grader['model']}; RSS {idle_rss:.0f} MB",
                flush=True,
            )
            latencies, errors, wall = asyncio.run(_run(url, staff, args.rounds, args.seed, args.think, tls))
            rss, peak = _rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    ms = [x * 1000 for x in latencies]
    result = {
        "learners": args.learners,
        "submits": len(ms),
        "errors": len(errors),
        "grader": grader["model"],
        "p50_ms": round(statistics.median(ms), 1),
        "p95_ms": round(_pct(ms, 0.95), 1),
        "p99_ms": round(_pct(ms, 0.99), 1),
        "max_ms": round(max(ms), 1),
        "submits_per_s": round(len(ms) / wall, 1),
        "server_ready_s": round(ready, 2),
        "rss_idle_mb": round(idle_rss),
        "rss_after_mb": round(rss),
        "rss_peak_mb": round(peak),
    }
    print(f"\n{'metric':<28}{'value':>12}")
    for key, value in result.items():
        print(f"{key:<28}{value!s:>12}")
    if errors:
        print("first errors:", *errors[:3], sep="\n  ")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
