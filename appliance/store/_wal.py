"""The write-ahead journal: every commit is one checksummed JSON line, fsynced before it is acknowledged.

A journal file (``wal/<generation>.wal``) starts with ``{"format":"ward-wal/1","gen":N}`` and holds one
line per committed transaction: ``<crc32 as 8 hex digits> <JSON record>``. Concurrent committers share
one ``fdatasync`` (group commit). At a checkpoint the journal is rotated to a new generation; the shard
files then absorb the old one, which is kept one more round (for recovery from a damaged shard) and
then deleted.
"""

from __future__ import annotations

import json
import os
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.store._fileformat import dumps, fsync_dir

WAL_FORMAT = "ward-wal/1"
WAL_SUFFIX = ".wal"


def wal_path(directory: Path, gen: int) -> Path:
    """The file of one journal generation."""
    return directory / f"{gen:010d}{WAL_SUFFIX}"


def wal_generations(directory: Path) -> list[int]:
    """Journal generations present on disk, oldest first."""
    if not directory.is_dir():
        return []
    gens = []
    for entry in directory.iterdir():
        stem = entry.name[: -len(WAL_SUFFIX)]
        if entry.name.endswith(WAL_SUFFIX) and stem.isdigit():
            gens.append(int(stem))
    return sorted(gens)


def encode_record(record: dict[str, Any]) -> bytes:
    """One journal line."""
    body = dumps(record)
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def _decode_line(line: bytes) -> dict[str, Any] | None:
    if len(line) < 10 or line[8:9] != b" ":
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        record = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("lsn"), int) else None


@dataclass(frozen=True)
class WalScan:
    """What one journal file holds."""

    gen: int
    path: Path
    records: tuple[dict[str, Any], ...]
    torn_tail: bool
    """Bytes after the last good record: a write that never finished (never acknowledged)."""
    bad_lines: tuple[int, ...]
    """Damaged lines with good records after them: real corruption."""
    valid_bytes: int
    header_ok: bool
    start_lsn: int
    """The first record number this generation may hold."""


def scan_wal(path: Path, gen: int) -> WalScan:
    """Read a journal file, separating good records, a torn tail and damaged lines."""
    data = path.read_bytes()
    lines = data.split(b"\n")
    partial = lines.pop()  # b"" when the file ends with a newline
    header_ok = False
    start_lsn = 0
    if lines:
        try:
            header = json.loads(lines[0])
            header_ok = isinstance(header, dict) and header.get("format") == WAL_FORMAT
            start_lsn = int(header.get("start_lsn", 0)) if header_ok else 0
        except (ValueError, TypeError, UnicodeDecodeError):
            header_ok = False
    if not header_ok:
        # A header that never reached the disk whole is a file created just before a crash.
        torn = not lines or len(lines) == 1
        return WalScan(gen, path, (), torn or bool(partial), () if torn else (1,), 0, False, 0)
    records: list[dict[str, Any]] = []
    bad: list[int] = []
    good: list[int] = []
    offset = len(lines[0]) + 1
    valid_bytes = offset
    for number, line in enumerate(lines[1:], start=2):
        offset += len(line) + 1
        record = _decode_line(line)
        if record is None:
            bad.append(number)
            continue
        records.append(record)
        good.append(number)
        valid_bytes = offset
    # Damaged lines after the last good record are the unfinished tail, not corruption.
    last_good_line = good[-1] if good else 1
    middle = tuple(n for n in bad if n < last_good_line)
    torn = bool(partial) or any(n > last_good_line for n in bad)
    return WalScan(gen, path, tuple(records), torn, middle, valid_bytes, True, start_lsn)


class WalWriter:
    """Appends records to the current journal generation; shares fsyncs between concurrent committers."""

    def __init__(self, directory: Path, gen: int, start_lsn: int) -> None:
        self._dir = directory
        self._sync_lock = threading.Lock()
        self._fd = self._create(gen, start_lsn)
        self.gen = gen
        self.bytes_written = 0
        self.written_lsn = 0
        self.synced_lsn = 0

    def _create(self, gen: int, start_lsn: int) -> int:
        path = wal_path(self._dir, gen)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        os.write(fd, dumps({"format": WAL_FORMAT, "gen": gen, "start_lsn": start_lsn}) + b"\n")
        os.fsync(fd)
        fsync_dir(self._dir)
        return fd

    def append(self, line: bytes, lsn: int) -> None:
        """Write one record (the caller serialises appends); durable only after :meth:`sync`."""
        view = memoryview(line)
        while view:
            view = view[os.write(self._fd, view) :]
        self.bytes_written += len(line)
        self.written_lsn = lsn

    def sync(self, lsn: int) -> None:
        """Return once the record ``lsn`` is on stable storage."""
        if self.synced_lsn >= lsn:
            return
        with self._sync_lock:
            if self.synced_lsn >= lsn:
                return
            target = self.written_lsn
            os.fdatasync(self._fd)
            self.synced_lsn = max(self.synced_lsn, target)

    def rotate(self, gen: int, start_lsn: int) -> int:
        """Make everything written durable, then continue in generation ``gen``; return the old one."""
        with self._sync_lock:
            os.fdatasync(self._fd)
            self.synced_lsn = max(self.synced_lsn, self.written_lsn)
            new_fd = self._create(gen, start_lsn)
            os.close(self._fd)
            self._fd, old, self.gen = new_fd, self.gen, gen
            self.bytes_written = 0
        return old

    def close(self) -> None:
        """Sync and close the file."""
        with self._sync_lock:
            if self._fd >= 0:
                os.fdatasync(self._fd)
                self.synced_lsn = max(self.synced_lsn, self.written_lsn)
                os.close(self._fd)
                self._fd = -1
