"""The write-ahead journal: every commit is one checksummed JSON line, fsynced before it is acknowledged.

A journal file (``wal/<generation>.wal``) starts with ``{"format":"ward-wal/1","gen":N}`` and holds one
line per committed transaction: ``<crc32 as 8 hex digits> <JSON record>``. Concurrent committers share
one ``fdatasync`` (group commit). At a checkpoint the journal is rotated to a new generation; the shard
files then absorb the old one, which is kept one more round (for recovery from a damaged shard) and
then deleted.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from appliance.store.engine._fileformat import dumps, fsync_dir

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


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _held_nothing(path: Path) -> bool:
    """True for a journal file that holds no record and no damage: a header that never (fully) landed."""
    scan = scan_wal(path, 0)
    return not scan.records and not scan.bad_lines


class WalWriter:
    """Appends records to the current journal generation; shares fsyncs between concurrent committers.

    A failed append is cut off again (``ftruncate`` to the last whole record), so the file stays sound
    and later appends may go on. A failed ``fdatasync`` breaks the writer: the kernel may have dropped
    the unsynced pages, so no record written before it may be acknowledged any more (not even by a later
    sync that happens to succeed); records in doubt become durable only when a checkpoint has written
    the state they belong to into the shard files (:meth:`mark_durable`).
    """

    def __init__(self, directory: Path, gen: int, start_lsn: int) -> None:
        self._dir = directory
        self._sync_lock = threading.Lock()
        self._fd, self.size = self._create(gen, start_lsn)
        self.gen = gen
        self.bytes_written = 0
        self.written_lsn = 0
        self.synced_lsn = 0
        self.doubt_lsn = 0
        """Records up to this number were written before a failed sync: never acknowledge them."""
        self.broken: OSError | None = None
        """Why this generation's file can no longer be trusted (it is left at the next rotation)."""

    @classmethod
    def reopen(cls, directory: Path, gen: int, valid_bytes: int) -> WalWriter:
        """Append to an existing generation, first cutting it to ``valid_bytes`` (its last whole record).

        Needs no free space, so a store restarted on a full disk still opens.
        """
        writer = cls.__new__(cls)
        writer._dir = directory
        writer._sync_lock = threading.Lock()
        fd = os.open(wal_path(directory, gen), os.O_RDWR | os.O_APPEND)
        try:
            if os.fstat(fd).st_size != valid_bytes:
                os.ftruncate(fd, valid_bytes)
                os.fsync(fd)
            header = os.pread(fd, 4096, 0).split(b"\n", 1)[0]
        except BaseException:
            os.close(fd)
            raise
        writer._fd, writer.size, writer.gen = fd, valid_bytes, gen
        writer.bytes_written = valid_bytes - len(header) - 1  # the records, as for a new generation
        writer.written_lsn = writer.synced_lsn = writer.doubt_lsn = 0
        writer.broken = None
        return writer

    def _create(self, gen: int, start_lsn: int) -> tuple[int, int]:
        path = wal_path(self._dir, gen)
        header = dumps({"format": WAL_FORMAT, "gen": gen, "start_lsn": start_lsn}) + b"\n"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
        try:
            fd = os.open(path, flags, 0o600)
        except FileExistsError:
            # Left by an earlier try that failed halfway (we hold the store lock: nobody else writes here).
            if not _held_nothing(path):
                raise
            path.unlink()
            fd = os.open(path, flags, 0o600)
        try:
            _write_all(fd, header)
            os.fsync(fd)
            fsync_dir(self._dir)
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
            raise
        return fd, len(header)

    def _break(self, err: OSError) -> None:
        if self.broken is None:
            self.broken = err
            self.doubt_lsn = self.written_lsn

    def _refuse(self) -> OSError:
        cause = self.broken
        code = cause.errno if cause is not None and cause.errno else errno.EIO
        return OSError(code, f"journal generation {self.gen} failed earlier ({cause}); not durable")

    def append(self, line: bytes, lsn: int) -> None:
        """Write one record (the caller serialises appends); durable only after :meth:`sync`.

        :raises OSError: nothing of the record stays in the file (unless the writer broke).
        """
        if self.broken is not None:
            raise self._refuse()
        try:
            _write_all(self._fd, line)
        except OSError:
            try:
                os.ftruncate(self._fd, self.size)
            except OSError as cut:
                self._break(cut)
            raise
        self.size += len(line)
        self.bytes_written += len(line)
        self.written_lsn = lsn

    def sync(self, lsn: int) -> None:
        """Return once the record ``lsn`` is on stable storage.

        :raises OSError: it is not (this sync or an earlier one failed).
        """
        if self.synced_lsn >= lsn:
            return
        with self._sync_lock:
            if self.synced_lsn >= lsn:
                return
            if self.broken is not None or lsn <= self.doubt_lsn:
                raise self._refuse()
            target = self.written_lsn
            try:
                os.fdatasync(self._fd)
            except OSError as err:
                self._break(err)
                raise
            self.synced_lsn = max(self.synced_lsn, target)

    def mark_durable(self, lsn: int) -> None:
        """Everything up to ``lsn`` is now in the shard files: records in doubt are durable after all."""
        with self._sync_lock:
            self.synced_lsn = max(self.synced_lsn, lsn)
            if self.doubt_lsn <= lsn:
                self.doubt_lsn = 0

    def rotate(self, gen: int, start_lsn: int) -> int:
        """Make everything written durable, then continue in generation ``gen``; return the old one.

        A broken writer skips the sync (it could not be trusted) and is sound again in the new file.
        """
        with self._sync_lock:
            if self.broken is None:
                try:
                    os.fdatasync(self._fd)
                except OSError as err:
                    self._break(err)
                    raise
                self.synced_lsn = max(self.synced_lsn, self.written_lsn)
            new_fd, size = self._create(gen, start_lsn)
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd, old, self.gen = new_fd, self.gen, gen
            self.size, self.bytes_written, self.broken = size, 0, None
        return old

    def close(self) -> None:
        """Sync and close the file (a failing sync only loses writes that were never acknowledged)."""
        with self._sync_lock:
            if self._fd >= 0:
                if self.broken is None:
                    try:
                        os.fdatasync(self._fd)
                        self.synced_lsn = max(self.synced_lsn, self.written_lsn)
                    except OSError as err:
                        self._break(err)
                with contextlib.suppress(OSError):
                    os.close(self._fd)
                self._fd = -1
