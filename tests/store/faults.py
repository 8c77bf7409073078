"""Test helpers for a full disk: a small real tmpfs, a filler file, and ENOSPC/EIO injected on journal files."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


@contextmanager
def small_disk(where: Path, size: str = "8m") -> Iterator[Path]:
    """Mount a tmpfs of ``size`` at ``where`` (skips the test where mounting is not allowed)."""
    where.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
            capture_output=True,
            text=True,
            timeout=20,
        )
    except (OSError, subprocess.SubprocessError) as err:
        pytest.skip(f"cannot mount a small tmpfs here ({err})")
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.strip() or result.returncode}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=20, check=False)


def fill(path: Path, leave: int = 0) -> int:
    """Grow the file at ``path`` until the disk has at most ``leave`` bytes free; return its size."""
    chunk = b"\0" * 65536
    with open(path, "ab") as handle:
        while True:
            stat = os.statvfs(path.parent)
            free = stat.f_bavail * stat.f_frsize
            if free <= leave:
                break
            try:
                handle.write(chunk[: max(1, min(len(chunk), free - leave))])
                handle.flush()
            except OSError as err:
                if err.errno != errno.ENOSPC:
                    raise
                break
    return path.stat().st_size


def _is_journal(fd: int) -> bool:
    try:
        return os.readlink(f"/proc/self/fd/{fd}").endswith(".wal")
    except OSError:
        return False


class JournalFaults:
    """Makes the next ``count`` writes or fdatasyncs on journal files fail with an errno (real files)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self._real: dict[str, Callable[..., Any]] = {"write": os.write, "fdatasync": os.fdatasync}
        self.pending: dict[str, list[int]] = {"write": [], "fdatasync": []}
        self.injected = 0
        for name in self._real:
            monkeypatch.setattr(os, name, self._wrapper(name))

    def _wrapper(self, name: str) -> Callable[..., Any]:
        real = self._real[name]

        def call(fd: int, *args: Any) -> Any:
            queue = self.pending[name]
            if queue and _is_journal(fd):
                code = queue.pop(0)
                self.injected += 1
                if name == "write" and args and len(args[0]) > 8:  # a partial write, then the error
                    real(fd, bytes(args[0][: len(args[0]) // 2]))
                raise OSError(code, os.strerror(code))
            return real(fd, *args)

        return call

    def fail(self, name: str, code: int = errno.ENOSPC, count: int = 1) -> None:
        """Fail the next ``count`` calls of ``os.<name>`` on a journal file with ``code``."""
        self.pending[name].extend([code] * count)
