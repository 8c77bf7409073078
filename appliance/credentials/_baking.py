"""Baked badges: the credential JSON inside a PNG's ``iTXt`` chunk with the keyword ``openbadgecredential``.

pypng reads and writes the chunks; the badge picture itself is drawn here (a medal in the level's colour), so
no image file or font ships with the appliance.
"""

from __future__ import annotations

import io
import math
import zlib

import png

from appliance.credentials._errors import MalformedCredential

KEYWORD = b"openbadgecredential"
_COLOURS = {
    "badge": (0x1E, 0x6F, 0xB8),
    "micro-credential": (0xC2, 0x8A, 0x00),
    "nano-degree": (0x6A, 0x2C, 0x91),
}


def badge_image(level: str, size: int = 192) -> bytes:
    """A plain medal PNG for a credential level."""
    r, g, b = _COLOURS.get(level, (0x44, 0x44, 0x44))
    centre, outer, inner = (size - 1) / 2, size * 0.46, size * 0.36
    rows = []
    for y in range(size):
        row: list[int] = []
        for x in range(size):
            d = math.hypot(x - centre, y - centre)
            if d > outer:
                row += [0, 0, 0, 0]
            elif d > inner:
                row += [r, g, b, 255]
            else:
                shade = 0.75 + 0.25 * (1 - d / inner)
                row += [int(255 - (255 - r) * 0.25 * shade), int(255 - (255 - g) * 0.25 * shade), 255, 255]
        rows.append(row)
    out = io.BytesIO()
    png.Writer(size, size, greyscale=False, alpha=True).write(out, rows)
    return out.getvalue()


def bake(image: bytes, credential_json: str) -> bytes:
    """A copy of the PNG ``image`` carrying ``credential_json`` in an uncompressed ``iTXt`` chunk."""
    chunks = [
        c
        for c in png.Reader(bytes=image).chunks()
        if not (c[0] == b"iTXt" and c[1].startswith(KEYWORD + b"\0"))
    ]
    text = KEYWORD + b"\0\0\0" + b"\0" + b"\0" + credential_json.encode("utf-8")
    chunks.insert(len(chunks) - 1, (b"iTXt", text))
    out = io.BytesIO()
    png.write_chunks(out, chunks)
    return out.getvalue()


def unbake(image: bytes) -> str:
    """The credential JSON baked into a PNG.

    :raises MalformedCredential: not a PNG, or no ``openbadgecredential`` chunk.
    """
    try:
        for kind, data in png.Reader(bytes=image).chunks():
            if kind == b"iTXt" and data.startswith(KEYWORD + b"\0"):
                rest = data[len(KEYWORD) + 1 :]
                compressed = rest[0]
                _language, _, rest = rest[2:].partition(b"\0")
                _translated, _, text = rest.partition(b"\0")
                if compressed:
                    text = zlib.decompress(text)
                return text.decode("utf-8")
    except (png.Error, ValueError, IndexError) as err:
        raise MalformedCredential(f"not a readable PNG: {err}") from err
    raise MalformedCredential("the PNG carries no openbadgecredential chunk")
