"""Full-disk recovery and encrypted-backup figures for docs/storage.md.

Run from the repo root as root (the full-disk part mounts an 8 MB tmpfs; it is skipped otherwise)::

    .venv/bin/python benchmarks/bench_store_safety.py [--trials 20] [--scales 0.01,0.1]

Measures: the cost of the free-space check per commit; the time from freeing space to the first write
that succeeds again (refused below the reserve; refused by the disk itself with no reserve; a failed
journal fsync repaired by the background checkpointer); backup and restore time and size of a store
built from the synthetic ward-year at the given scales.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1]))

from bench_storage import build_sharded

from appliance.keys import make_key_kit
from appliance.store import Store, StoreIOError, StoreOptions
from appliance.store.maintenance import backup, restore

PAD = "x" * 2000


def _fill(path: Path, leave: int) -> None:
    with open(path, "ab") as handle:
        while True:
            stat = os.statvfs(path.parent)
            free = stat.f_bavail * stat.f_frsize
            if free <= leave:
                return
            try:
                handle.write(b"\0" * max(1, min(65536, free - leave)))
                handle.flush()
            except OSError:
                return


def _until_refused(store: Store) -> None:
    for i in range(100_000):
        try:
            store.audit.record("bench", "fill", target=str(i), details={"pad": PAD})
        except StoreIOError:
            return
    raise RuntimeError("never refused")


def _resume(store: Store) -> float:
    started = time.perf_counter()
    while True:
        try:
            store.audit.record("bench", "after")
            return time.perf_counter() - started
        except StoreIOError:
            time.sleep(0.001)


def _mount(where: Path) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(where)], capture_output=True
    )
    return result.returncode == 0


def _summary(name: str, values: list[float]) -> None:
    ms = sorted(v * 1000 for v in values)
    print(f"{name}: median {statistics.median(ms):.1f} ms, max {ms[-1]:.1f} ms (n={len(ms)})")


def disk_full(trials: int, base: Path) -> None:
    disk = base / "disk"
    if not _mount(disk):
        print("full disk: skipped (cannot mount a tmpfs here; run as root)")
        return
    try:
        for label, reserve in (("below the 1 MiB reserve", 1024 * 1024), ("disk itself full, no reserve", 0)):
            times = []
            for trial in range(trials):
                data = disk / f"d{trial}"
                options = StoreOptions(reserve_bytes=reserve, checkpoint_bytes=256 * 1024)
                store = Store.open(data, options=options)
                _fill(disk / "filler", leave=reserve + 600_000)
                _until_refused(store)
                (disk / "filler").unlink()
                times.append(_resume(store))
                store.close()
                subprocess.run(["rm", "-rf", str(data)], check=True)
            _summary(f"resume after space is freed ({label})", times)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def fsync_repair(trials: int, base: Path) -> None:
    real = os.fdatasync
    times = []
    for trial in range(trials):
        store = Store.open(base / f"f{trial}", options=StoreOptions())
        store.audit.record("bench", "one")
        failing: list[int] = [1]

        def flaky(fd: int, real: Callable[[int], None] = real, failing: list[int] = failing) -> None:
            if failing and os.readlink(f"/proc/self/fd/{fd}").endswith(".wal"):
                failing.pop()
                raise OSError(errno.EIO, "injected")
            real(fd)

        os.fdatasync = flaky
        try:
            with contextlib.suppress(StoreIOError):
                store.audit.record("bench", "in-doubt")
            times.append(_resume(store))
        finally:
            os.fdatasync = real
        store.close()
    _summary("resume after a failed journal fsync (repaired by the checkpointer)", times)


def statvfs_cost(base: Path) -> None:
    n = 100_000
    started = time.perf_counter()
    for _ in range(n):
        os.statvfs(base)
    print(f"free-space check (statvfs) per commit: {(time.perf_counter() - started) / n * 1e6:.2f} us")


def backups(scales: list[float], base: Path) -> None:
    for scale in scales:
        data = base / f"ward-{scale}"
        counts = build_sharded(data, scale)
        key = make_key_kit(data)
        with Store.open(data, options=StoreOptions(background=False)) as store:
            store.settings.secret("session_secret")
        started = time.perf_counter()
        info = backup(data, base / f"ward-{scale}.wardbackup")
        took = time.perf_counter() - started
        started = time.perf_counter()
        restore(Path(info.path), base / f"restored-{scale}", key=key)
        restored = time.perf_counter() - started
        print(
            f"backup at scale {scale} ({counts.get('attempt', 0)} attempts, {counts.get('grade', 0)} graded "
            f"rationales): {info.files} files + {info.key_files} keys, {info.bytes / 1e6:.1f} MB of files -> "
            f"{info.archive_bytes / 1e6:.2f} MB encrypted; backup {took:.2f} s, restore {restored:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--scales", default="0.01,0.1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-safety-") as tmp:
        base = Path(tmp)
        statvfs_cost(base)
        disk_full(args.trials, base)
        fsync_repair(args.trials, base)
        backups([float(s) for s in args.scales.split(",")], base)


if __name__ == "__main__":
    main()
