"""Read and write GRUB environment blocks, byte-compatible with ``grub-editenv``.

A block is exactly 1024 bytes: the header line, ``name=value`` lines and ``#`` comment lines (backslash and newline escaped with a
backslash) and ``#`` padding. GRUB's ``save_env`` rewrites the file in place and never changes its size, so a
write that would not fit is refused rather than truncated.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from appliance.update._errors import EnvBlockInvalid

BLOCK_SIZE = 1024
HEADER = b"# GRUB Environment Block\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\\n")


def format_env_block(values: Mapping[str, str]) -> bytes:
    """Return the 1024-byte block holding ``values`` in the given order.

    :raises EnvBlockInvalid: a name GRUB cannot use, or the values do not fit in the block.
    """
    body = bytearray(HEADER)
    for name, value in values.items():
        if not name or "=" in name or "\n" in name or name.startswith("#"):
            raise EnvBlockInvalid(f"invalid variable name {name!r}")
        body += f"{name}={_escape(value)}\n".encode()
    if len(body) > BLOCK_SIZE:
        raise EnvBlockInvalid(
            f"the variables need {len(body)} bytes; a GRUB environment block holds {BLOCK_SIZE}"
        )
    return bytes(body) + b"#" * (BLOCK_SIZE - len(body))


def parse_env_block(block: bytes) -> dict[str, str]:
    """Return the variables of a block, in file order.

    :raises EnvBlockInvalid: wrong size or header, or a line without ``=``.
    """
    if len(block) != BLOCK_SIZE or not block.startswith(HEADER):
        raise EnvBlockInvalid(f"not a GRUB environment block ({len(block)} bytes)")
    text = block[len(HEADER) :].decode()
    values: dict[str, str] = {}
    i = 0
    while i < len(text):
        if text[i] == "#":  # a comment line (grub-editenv writes one) or the padding
            end = text.find("\n", i)
            i = len(text) if end < 0 else end + 1
            continue
        line = []
        while i < len(text) and text[i] != "\n":
            if text[i] == "\\" and i + 1 < len(text):
                i += 1
            line.append(text[i])
            i += 1
        i += 1
        name, sep, value = "".join(line).partition("=")
        if not sep:
            raise EnvBlockInvalid(f"line without '=': {''.join(line)!r}")
        values[name] = value
    return values


def read_env(path: Path) -> dict[str, str]:
    """Read the block at ``path`` (see ``parse_env_block``)."""
    return parse_env_block(path.read_bytes())


def write_env(path: Path, values: Mapping[str, str]) -> None:
    """Replace the block at ``path`` atomically (temporary file, fsync, rename)."""
    block = format_env_block(values)
    tmp = path.with_name(path.name + ".new")
    with tmp.open("wb") as f:
        f.write(block)
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
