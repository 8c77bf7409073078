"""The free-space guard: below a reserve of free space the store refuses writes, and resumes by itself.

The reserve keeps room for what must still work on a nearly full disk: checkpoints (which write the
changed shards, then delete old journal generations and so shrink the journal), the operating system and
the logs. Free space is read with ``statvfs`` (``f_bavail``, what an unprivileged writer may use) before
every commit, so writes resume on the first commit after space is freed, with no restart.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from appliance.store.engine._errors import DiskFull, StoreIOError

MiB = 1024 * 1024
DEFAULT_RESERVE = 64 * MiB
"""The reserve on a disk of 1.3 GB or more; smaller disks keep 5 % of their size."""

_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


@dataclass(frozen=True)
class DiskSpace:
    """Free and total bytes of the filesystem a path lives on."""

    free: int
    total: int


def disk_space(path: Path) -> DiskSpace:
    """The free (usable without root) and total bytes of the filesystem holding ``path``."""
    stat = os.statvfs(path)
    return DiskSpace(free=stat.f_bavail * stat.f_frsize, total=stat.f_blocks * stat.f_frsize)


def resolve_reserve(reserve: int | None, path: Path) -> int:
    """The reserve in bytes: ``reserve`` as given, else 64 MiB or 5 % of the filesystem if smaller."""
    if reserve is not None:
        if reserve < 0:
            raise ValueError("reserve_bytes must not be negative")
        return reserve
    return min(DEFAULT_RESERVE, disk_space(path).total // 20)


def is_disk_full(err: BaseException) -> bool:
    """True for the errors a full disk (or a spent quota) gives."""
    return isinstance(err, OSError) and err.errno in _FULL


def io_error(
    err: BaseException, doing: str, then: str = "writes resume by themselves when space is freed"
) -> StoreIOError:
    """The store's error for a refused disk operation: :class:`DiskFull` when the disk is full."""
    if is_disk_full(err):
        return DiskFull(f"the disk is full ({doing}); {then}")
    reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    return StoreIOError(f"{doing}: {reason}")


def megabytes(n: int) -> str:
    """A byte count for people."""
    return f"{n / MiB:.1f} MB"
