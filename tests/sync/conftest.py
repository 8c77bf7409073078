"""Real parts for sync tests: a throwaway PostgreSQL cluster, hub processes on loopback, site stores.

The PostgreSQL cluster is started from Debian's binaries into a temp folder (as the ``postgres`` user
when the tests run as root), listening only on a unix socket there; tests that need it skip with the
reason when no PostgreSQL binaries exist.
"""

from __future__ import annotations

import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest

from appliance.store import Store, StoreOptions

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "appliance" / "demo"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgCluster:
    """A running throwaway cluster."""

    bindir: Path
    folder: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://ward@/{database}?host={self.folder}&port={self.port}"

    def sql(self, statement: str) -> None:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(statement.encode())


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (apt-get install postgresql)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
    folder = Path(tempfile.mkdtemp(prefix="ward-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = free_port()
    data = folder / "data"
    subprocess.run(
        _as_owner(
            [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "ward", "--no-sync", "-E", "UTF8"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-k {folder} -c listen_addresses='' -p {port} -c fsync=off -c max_connections=200"
    subprocess.run(
        _as_owner(
            [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield PgCluster(bindir, folder, port)
    finally:
        subprocess.run(
            _as_owner([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> str:
    """A fresh, empty database for one test."""
    name = "t_" + secrets.token_hex(4)
    pg_cluster.sql(f"CREATE DATABASE {name}")
    return pg_cluster.url(name)


@dataclass
class HubProcess:
    """``appliance hub serve`` in a child process on a loopback port."""

    database: str
    key_file: Path
    port: int = field(default_factory=free_port)
    extra: tuple[str, ...] = ()
    light: bool = False
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HubProcess:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        if self.light:  # the same open_hub/serve without the CLI's start-up cost
            cmd = [sys.executable, "-m", "appliance.sync.hub"]
            env |= {"WARD_HUB_DATABASE": self.database, "WARD_HUB_KEY_FILE": str(self.key_file)}
            env |= {
                "WARD_HUB_HOST": "127.0.0.1",
                "WARD_HUB_PORT": str(self.port),
                "WARD_HUB_ADVERTISE": "false",
            }
        else:
            cmd = [sys.executable, "-m", "appliance.cli", "hub", "serve", "--database", self.database]
            cmd += [
                "--key-file",
                str(self.key_file),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *self.extra,
            ]
            if "--advertise" not in self.extra:
                cmd.append("--no-advertise")
        log = self.key_file.parent / f"hub-{self.port}.log"
        with log.open("ab") as out:  # a file, not a pipe: a chatty hub must never block on a full pipe
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"hub exited: {log.read_text()}")
            try:
                if httpx.get(f"{self.url}/v1/hello", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("hub did not start in 30 s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def hubs(tmp_path: Path) -> Iterator[Callable[..., HubProcess]]:
    """Start hub processes; all are killed at the end of the test."""
    started: list[HubProcess] = []

    def start(
        database: str, key_file: Path | None = None, *extra: str, light: bool = False, port: int | None = None
    ) -> HubProcess:
        hub = HubProcess(database, key_file or tmp_path / "hub.key", extra=extra, light=light)
        if port is not None:
            hub.port = port
        hub.start()
        started.append(hub)
        return hub

    yield start
    for hub in started:
        hub.stop()


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``appliance ARGS`` in a child process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "appliance.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"appliance {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def open_site(folder: Path) -> Store:
    """A site's store without the background checkpointer."""
    return Store.open(folder, options=StoreOptions(background=False))


def add_events(store: Store, count: int, kind: str = "rationale.graded") -> None:
    """Append ``count`` realistic events, 500 per transaction."""
    for start in range(0, count, 500):
        with store.transaction():
            for i in range(start, min(count, start + 500)):
                store.outbox.append(
                    kind,
                    {
                        "grade_id": f"g-{i}",
                        "score": 0.75,
                        "band": "proficient",
                        "passed": True,
                        "model_id": "lexical",
                    },
                    subject=f"learner-{i % 40}",
                )


def curriculum_files() -> list[Path]:
    """The demo taxonomy and modules."""
    return [DEMO / "taxonomy.json", *sorted((DEMO / "modules").glob("*.json"))]


def bumped_module(tmp_path: Path, version: str = "1.1.0", title: str = "Sepsis alerts (revised)") -> Path:
    """The demo sepsis module as a new version with another title."""
    raw = json.loads((DEMO / "modules" / "ai-safety-sepsis.json").read_text())
    raw.pop("content_hash", None)
    raw["module"]["version"] = version
    raw["module"]["title"] = title
    path = tmp_path / f"sepsis-{version}.json"
    path.write_text(json.dumps(raw))
    return path
