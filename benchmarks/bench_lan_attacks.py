"""Probe a real ``appliance serve`` as an attacker on the ward LAN would (loopback only) and print figures.

- PIN spray from one address (127.0.0.2) over every account: requests until that address is held back, and
  whether every nurse and the admin can still sign in from another tablet (127.0.0.3).
- Body flood: N unauthenticated 200 MB POSTs; server memory before and after (the obvious alternative, no cap,
  took the server from 409 MB to 1.5 GB in the issue's measurement).

    .venv/bin/python benchmarks/bench_lan_attacks.py --nurses 30 --floods 4
"""

from __future__ import annotations

import argparse
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from appliance.config import load_settings
from appliance.services.parts import AuthService
from appliance.store import Store

PIN = "583920"
ADMIN_PIN = "402917"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _client(url: str, tls: ssl.SSLContext, address: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address, verify=tls)
    return httpx.Client(base_url=url, transport=transport, timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--nurses", type=int, default=30)
    parser.add_argument("--floods", type=int, default=4)
    parser.add_argument("--flood-mb", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "ward-data"
        data.mkdir()
        with Store.from_settings(load_settings(data_dir=data)) as store:
            auth = AuthService(store)
            admin = auth.provision("Probe ward", "A100", "Admin", ADMIN_PIN)
            staff = [f"N{n:03d}" for n in range(args.nurses)]
            for s in staff:
                auth.create_user(admin.user_id, s, s, ("learner",), "nicu-nurse", PIN)
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
        env |= {
            "WARD_DATA_DIR": str(data),
            "WARD_HOST": "127.0.0.1",
            "WARD_PORT": str(port),
            "WARD_HTTP_PORT": "0",
        }
        env |= {"WARD_GRADER_WARM_UP": "false"}
        server = subprocess.Popen([sys.executable, "-m", "appliance.cli", "serve"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        url = f"https://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    tls = ssl.create_default_context(cafile=str(data / "tls" / "ca.pem"))
                    if httpx.get(f"{url}/healthz", verify=tls, timeout=1).status_code == 200:
                        break
                except (OSError, httpx.HTTPError, ssl.SSLError):
                    if time.monotonic() > deadline:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)
            print(f"server up; RSS {_rss_mb(server.pid):.0f} MB", flush=True)
            with _client(url, tls, "127.0.0.2") as attacker:
                started, sent, first_held = time.monotonic(), 0, None
                for attempt in range(4):
                    for s in ["A100", *staff]:
                        response = attacker.post(
                            "/api/v1/session", json={"staff_id": s, "pin": f"{attempt:06d}"}
                        )
                        sent += 1
                        if response.status_code == 429 and first_held is None:
                            first_held = sent
                spray_s = time.monotonic() - started
            print(f"spray: {sent} wrong PINs in {spray_s:.1f} s from 127.0.0.2; held back after {first_held}")
            with _client(url, tls, "127.0.0.3") as tablet:
                ok = sum(
                    tablet.post("/api/v1/session", json={"staff_id": s, "pin": p}).status_code == 200
                    for s, p in [("A100", ADMIN_PIN), *((s, PIN) for s in staff)]
                )
            print(f"after the spray, from 127.0.0.3: {ok} of {1 + len(staff)} accounts sign in")
            before = _rss_mb(server.pid)
            chunk = b"x" * (1024 * 1024)
            refused = 0
            for _ in range(args.floods):
                with _client(url, tls, "127.0.0.4") as flooder:
                    try:
                        response = flooder.post(
                            "/api/v1/session",
                            content=(chunk for _ in range(args.flood_mb)),
                            headers={"content-type": "application/json"},
                        )
                        refused += response.status_code == 413
                    except httpx.HTTPError:
                        refused += 1  # the server closed the connection on us: refused as well
            time.sleep(1)
            print(
                f"body flood: {args.floods} x {args.flood_mb} MB, {refused} refused; "
                f"RSS {before:.0f} MB before, {_rss_mb(server.pid):.0f} MB after"
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
