"""Sync benchmark: events from sites to a real hub process on loopback, SQLite and PostgreSQL.

Usage (from the repo root)::

    .venv/bin/python benchmarks/bench_sync.py                     # 10k events, both stores
    .venv/bin/python benchmarks/bench_sync.py --events 10000 --sites 20 --hubs 2

With ``--bundle-scenarios 50 --sites 5`` it times publishing a module of 50 scenarios and its install on
5 sites at once instead. With ``--sites N`` (N > 1) it runs N sites at once against ``--hubs`` hub processes on one PostgreSQL
(events/s overall and p95 per chunk). PostgreSQL is a throwaway cluster started from Debian's binaries
in a temp folder, unless ``--postgres URL`` names one.
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from appliance.store import Store, StoreOptions  # noqa: E402
from appliance.sync import async_enroll, async_sync  # noqa: E402
from appliance.sync.hub import open_hub, publish_files  # noqa: E402
from appliance.sync.hub._settings import load_hub_settings  # noqa: E402

DEMO = ROOT / "appliance" / "demo"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway cluster on a unix socket in a temp folder (as ``postgres`` when run as root)."""
    initdb = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdb:
        raise SystemExit("no PostgreSQL binaries: apt-get install postgresql, or pass --postgres URL")
    bindir = Path(initdb[-1]).parent
    owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="ward-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _port()
    run = lambda *a: subprocess.run([*owner, *a], check=True, capture_output=True)  # noqa: E731
    run(str(bindir / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "ward", "--no-sync")
    # fsync stays on: the figures should be what a real hub pays for durable commits.
    run(
        str(bindir / "pg_ctl"),
        "-D",
        str(folder / "data"),
        "-o",
        f"-k {folder} -c listen_addresses='' -p {port}",
        "-l",
        str(folder / "log"),
        "-w",
        "start",
    )
    try:
        yield f"postgresql://ward@/postgres?host={folder}&port={port}"
    finally:
        subprocess.run(
            [*owner, str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "fast", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def hub_processes(database: str, key_file: Path, count: int) -> Iterator[list[str]]:
    procs, urls = [], []
    for _ in range(count):
        port = _port()
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "WARD_HUB_DATABASE": database,
            "WARD_HUB_KEY_FILE": str(key_file),
            "WARD_HUB_HOST": "127.0.0.1",
            "WARD_HUB_PORT": str(port),
            "WARD_HUB_ADVERTISE": "false",
        }
        procs.append(subprocess.Popen([sys.executable, "-m", "appliance.sync.hub"], env=env, cwd=ROOT))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            for _ in range(300):
                try:
                    httpx.get(f"{url}/v1/hello", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)


def fill(store: Store, events: int) -> None:
    for start in range(0, events, 500):
        with store.transaction():
            for i in range(start, min(events, start + 500)):
                store.outbox.append(
                    "rationale.graded",
                    {
                        "grade_id": f"u1-202612-{i:06d}",
                        "attempt_id": f"u1-202612-a{i // 5}",
                        "node_id": "decide-escalate",
                        "score": 0.72,
                        "band": "proficient",
                        "passed": True,
                        "needs_review": False,
                        "model_id": "minilm-int8",
                    },
                    subject=f"learner-{i % 300:03d}",
                )


class Meter:
    """Bytes on the wire (request and response, headers included) and per-chunk latency."""

    def __init__(self) -> None:
        self.bytes = 0
        self.event_bytes = 0
        self.chunks: list[float] = []
        self._started: dict[int, float] = {}

    async def on_request(self, request: httpx.Request) -> None:
        self._started[id(request)] = time.perf_counter()

    async def on_response(self, response: httpx.Response) -> None:
        await response.aread()
        request = response.request
        size = len(request.content) + sum(len(k) + len(v) + 4 for k, v in request.headers.raw) + 40
        size += len(response.content) + sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 20
        self.bytes += size
        if request.url.path == "/v1/events":
            self.event_bytes += size
            self.chunks.append(time.perf_counter() - self._started.pop(id(request)))


async def prepare(folder: Path, url: str, token: str, events: int) -> Store:
    """Open a site's store, enroll it and fill its outbox."""
    store = Store.open(folder, options=StoreOptions(background=False))
    async with httpx.AsyncClient(timeout=60) as client:
        await async_enroll(store, client, url, token)
    await asyncio.to_thread(fill, store, events)
    return store


async def push(store: Store, events: int, meter: Meter) -> float:
    """One sync session; return its duration."""
    hooks = {"request": [meter.on_request], "response": [meter.on_response]}
    async with httpx.AsyncClient(timeout=120, event_hooks=hooks) as client:
        started = time.perf_counter()
        report = await async_sync(store, client, discover=False)
        took = time.perf_counter() - started
    assert report.acknowledged == events == store.outbox.acknowledged, report
    return took


def run(database: str, sites: int, hubs: int, events: int, work: Path) -> dict[str, dict[str, float]]:
    key_file = work / f"hub-{secrets.token_hex(3)}.key"
    hub = open_hub(load_hub_settings(database=database, key_file=key_file))
    tokens = [hub.repo.create_token(hub.key, f"site-{secrets.token_hex(4)}") for _ in range(sites)]
    publish_files(hub.repo, hub.key, [DEMO / "taxonomy.json", *sorted((DEMO / "modules").glob("*.json"))])
    hub.close()
    with hub_processes(database, key_file, hubs) as urls:

        async def all_sites() -> list[tuple[float, Meter]]:
            stores = [
                await prepare(
                    work / f"site-{i}-{secrets.token_hex(2)}", urls[i % len(urls)], tokens[i], events
                )
                for i in range(sites)
            ]
            rounds = []
            try:
                for round_no in (1, 2):  # 1: first contact (includes the curriculum bundle); 2: records only
                    if round_no == 2:
                        for store in stores:
                            await asyncio.to_thread(fill, store, events)
                    meter = Meter()
                    wall = time.perf_counter()
                    await asyncio.gather(*(push(store, events * round_no, meter) for store in stores))
                    rounds.append((time.perf_counter() - wall, meter))
                return rounds
            finally:
                for store in stores:
                    store.close()

        rounds = asyncio.run(all_sites())
    total = sites * events
    out = {}
    for name, (wall, meter) in zip(("first", "again"), rounds, strict=True):
        chunks = sorted(meter.chunks)
        p95 = chunks[min(len(chunks) - 1, int(len(chunks) * 0.95))]
        out[name] = {
            "seconds": wall,
            "events_per_s": total / wall,
            "bytes_per_event": meter.event_bytes / total,
            "p95_chunk_ms": p95 * 1000,
            "session_kb": meter.bytes / 1024 / sites,
        }
    return out


def big_modules(folder: Path, scenarios: int) -> list[Path]:
    """Both demo modules as version 2.0.0 with ``scenarios`` scenarios between them (copies under new ids;
    one module of 50 would pass the engine's 2 MB file limit)."""
    paths = []
    modules = sorted((DEMO / "modules").glob("*.json"))
    for n, source in enumerate(modules):
        raw = json.loads(source.read_text())
        raw.pop("content_hash", None)
        base = raw["module"]["scenarios"]
        count = scenarios // len(modules) + (1 if n < scenarios % len(modules) else 0)
        raw["module"]["version"] = "2.0.0"
        raw["module"]["scenarios"] = [
            {**base[i % len(base)], "id": f"{base[i % len(base)]['id']}-{i:02d}"} for i in range(count)
        ]
        paths.append(folder / f"big-{source.name}")
        paths[-1].write_text(json.dumps(raw))
    return paths


def bundle_run(database: str, sites: int, scenarios: int, work: Path) -> dict[str, float]:
    """Publish a big module and install it on ``sites`` sites at once."""
    key_file = work / "bundle-hub.key"
    hub = open_hub(load_hub_settings(database=database, key_file=key_file))
    tokens = [hub.repo.create_token(hub.key, f"site-{secrets.token_hex(4)}") for _ in range(sites)]
    publish_files(hub.repo, hub.key, [DEMO / "taxonomy.json", *sorted((DEMO / "modules").glob("*.json"))])
    big = big_modules(work, scenarios)
    with hub_processes(database, key_file, 1) as urls:

        async def sites_sync() -> tuple[float, float, int]:
            stores = [await prepare(work / f"b-site-{i}", urls[0], tokens[i], 0) for i in range(sites)]
            try:
                async with httpx.AsyncClient(timeout=120) as client:
                    await asyncio.gather(*(async_sync(s, client, discover=False) for s in stores))
                started = time.perf_counter()
                manifest = await asyncio.to_thread(publish_files, hub.repo, hub.key, big)
                published = time.perf_counter() - started
                async with httpx.AsyncClient(timeout=120) as client:
                    reports = await asyncio.gather(*(async_sync(s, client, discover=False) for s in stores))
                assert all(r.installed_bundle == manifest.version for r in reports)
                return published, time.perf_counter() - started, sum(f.size for f in manifest.files)
            finally:
                for store in stores:
                    store.close()

        published, installed, size = asyncio.run(sites_sync())
    hub.close()
    return {"publish_s": published, "all_installed_s": installed, "bundle_kb": size / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=10_000, help="events per site")
    parser.add_argument("--sites", type=int, default=1)
    parser.add_argument("--hubs", type=int, default=1)
    parser.add_argument("--postgres", help="use this database instead of a throwaway cluster")
    parser.add_argument(
        "--bundle-scenarios", type=int, help="time a bundle with a module of this many scenarios"
    )
    args = parser.parse_args()
    if args.bundle_scenarios:
        with (
            tempfile.TemporaryDirectory(prefix="ward-bench-sync-") as tmp,
            postgres() if args.postgres is None else _given(args.postgres) as url,
        ):
            r = bundle_run(url, args.sites, args.bundle_scenarios, Path(tmp))
        print(
            f"{args.bundle_scenarios} scenarios (bundle {r['bundle_kb']:.0f} kB): published and signed in "
            f"{r['publish_s']:.2f} s; installed on {args.sites} sites {r['all_installed_s']:.2f} s after publishing"
        )
        return
    with tempfile.TemporaryDirectory(prefix="ward-bench-sync-") as tmp:
        work = Path(tmp)
        rows = []
        if args.sites == 1:
            rows.append(("embedded (SQLite)", run(f"sqlite:///{work / 'hub.db'}", 1, 1, args.events, work)))
        with postgres() if args.postgres is None else _given(args.postgres) as url:
            rows.append(
                (
                    f"PostgreSQL, {args.hubs} hub process(es)",
                    run(url, args.sites, args.hubs, args.events, work),
                )
            )
    print(f"{args.sites} site(s) x {args.events} events, chunks of 500, gzip, on loopback")
    header = (
        f"{'hub store / session':44} {'seconds':>8} {'events/s':>9} {'bytes/event':>12} {'p95 chunk ms':>13}"
    )
    print(header + f" {'kB/session':>11}")
    for name, result in rows:
        for label, r in (("first contact", result["first"]), ("records only", result["again"])):
            print(
                f"{name + ', ' + label:44} {r['seconds']:8.2f} {r['events_per_s']:9.0f} {r['bytes_per_event']:12.1f} "
                f"{r['p95_chunk_ms']:13.1f} {r['session_kb']:11.0f}"
            )


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    main()
