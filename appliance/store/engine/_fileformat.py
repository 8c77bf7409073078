"""Shard files on disk: a one-line JSON header (checksum, length, summary) then the TinyDB body.

A shard file looks like::

    {"format":"ward-store/1","shard":"learners/u1/2026-11","schema":2,"lsn":812,...,"crc32":123,"summary":{}}
    {"attempts":{"<attempt id>":{...}},"grades":{...}}

The body is exactly TinyDB's JSON layout (``{table: {doc_id: document}}``), so ``tail -n +2`` gives a file
plain TinyDB can open. Files are only ever replaced whole: written to a temp file, fsynced, the old file
hard-linked to ``<name>.prev`` (the previous generation), then renamed over; the directory is fsynced.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "ward-store/1"
SUFFIX = ".json"
PREV_SUFFIX = ".json.prev"
TMP_SUFFIX = ".json.tmp"
_HEADER_CHUNK = 16384

Tables = dict[str, dict[str, Any]]


class ShardFileError(Exception):
    """A shard file is damaged; the message says how."""


@dataclass(frozen=True)
class ShardHeader:
    """What the first line of a shard file says about the rest."""

    shard: str
    schema: int
    lsn: int
    written: str
    length: int
    crc32: int
    summary: dict[str, Any]
    header_bytes: int

    @property
    def file_size(self) -> int:
        """The size the whole file must have."""
        return self.header_bytes + self.length


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def encode_shard(
    name: str, schema: int, lsn: int, tables: Tables, summary: dict[str, Any], written: str
) -> bytes:
    """Serialise a shard with its header."""
    body = dumps(tables)
    header = {
        "format": FORMAT,
        "shard": name,
        "schema": schema,
        "lsn": lsn,
        "written": written,
        "length": len(body),
        "crc32": zlib.crc32(body),
        "summary": summary,
    }
    return dumps(header) + b"\n" + body


def _parse_header(line: bytes, expect: str | None) -> ShardHeader:
    try:
        raw = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ShardFileError(f"the header is not JSON ({err})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ShardFileError(f"the header does not start a {FORMAT} file")
    try:
        header = ShardHeader(
            shard=str(raw["shard"]),
            schema=int(raw["schema"]),
            lsn=int(raw["lsn"]),
            written=str(raw["written"]),
            length=int(raw["length"]),
            crc32=int(raw["crc32"]),
            summary=dict(raw.get("summary") or {}),
            header_bytes=len(line) + 1,
        )
    except (KeyError, TypeError, ValueError) as err:
        raise ShardFileError(f"the header lacks a valid field ({err})") from None
    if expect is not None and header.shard != expect:
        raise ShardFileError(f"the header names shard {header.shard!r}, expected {expect!r}")
    return header


def read_header(path: Path, expect: str | None = None) -> ShardHeader:
    """Read and check a shard's header line and its size without reading the body.

    :raises ShardFileError: unreadable header, or the file is longer or shorter than the header says.
    :raises FileNotFoundError: no such file.
    """
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        buffer = b""
        while b"\n" not in buffer:
            chunk = handle.read(_HEADER_CHUNK)
            if not chunk:
                raise ShardFileError("the file ends inside its header (truncated)")
            buffer += chunk
    header = _parse_header(buffer.split(b"\n", 1)[0], expect)
    if size != header.file_size:
        raise ShardFileError(
            f"the file is {size} bytes, its header says {header.file_size} (truncated or appended to)"
        )
    return header


def decode_shard(raw: bytes, expect: str | None = None) -> tuple[ShardHeader, Tables]:
    """Check and parse a whole shard file.

    :raises ShardFileError: any damage: header, length, checksum, JSON or layout.
    """
    line, sep, body = raw.partition(b"\n")
    if not sep:
        raise ShardFileError("the file ends inside its header (truncated)")
    header = _parse_header(line, expect)
    if len(body) != header.length:
        raise ShardFileError(f"the body is {len(body)} bytes, the header says {header.length} (truncated)")
    if zlib.crc32(body) != header.crc32:
        raise ShardFileError("the body does not match its checksum (bytes changed on disk)")
    try:
        tables = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ShardFileError(f"the body is not JSON ({err})") from None
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise ShardFileError("the body is not a TinyDB table layout")
    return header, tables


def read_shard(path: Path, expect: str | None = None) -> tuple[ShardHeader, Tables]:
    """Read, check and parse a shard file.

    :raises ShardFileError: damaged.
    :raises FileNotFoundError: no such file.
    """
    return decode_shard(path.read_bytes(), expect)


def fsync_dir(path: Path) -> None:
    """Make renames and new files in a directory durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file_synced(path: Path, data: bytes) -> None:
    """Write a new file and fsync it (not yet its directory); mode 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def prev_path(path: Path) -> Path:
    """Where the previous generation of a shard file is kept."""
    return path.with_name(path.name[: -len(SUFFIX)] + PREV_SUFFIX)


def tmp_path(path: Path) -> Path:
    """The temp file a shard file is written to before the rename."""
    return path.with_name(path.name[: -len(SUFFIX)] + TMP_SUFFIX)


def replace_keeping_prev(path: Path, data: bytes, *, keep_prev: bool = True) -> None:
    """Write ``data`` over ``path`` atomically; keep the old file as ``.prev`` (directory fsync by caller)."""
    tmp = tmp_path(path)
    prev = prev_path(path)
    link_tmp = prev.with_name(prev.name + ".tmp")
    try:
        write_file_synced(tmp, data)
        if keep_prev and path.exists():
            link_tmp.unlink(missing_ok=True)
            try:
                os.link(path, link_tmp)
            except OSError as err:  # a filesystem without hard links: copy instead
                if err.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise
                write_file_synced(link_tmp, path.read_bytes())
            os.replace(link_tmp, prev)
        os.replace(tmp, path)
    except OSError:
        for leftover in (tmp, link_tmp):  # a failed write (e.g. a full disk) must not keep the space
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        raise
    if not keep_prev:
        prev.unlink(missing_ok=True)
