"""Ed25519 keys, canonical JSON and fingerprints: the few primitives identity, requests and bundles share.

A private key lives in a file of its own, mode 0600, written atomically (temp file, fsync, rename), as the
raw 32-byte seed in base64. Public keys travel as base64 of the raw 32 bytes. A fingerprint is the first
16 bytes of SHA-256 of the raw public key, hex: short enough to print in a token, long enough not to collide.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from appliance.sync._errors import SyncError


def b64(data: bytes) -> str:
    """URL-safe base64 without padding."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    """Decode :func:`b64` text.

    :raises ValueError: not base64.
    """
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(value: Any) -> bytes:
    """Stable JSON bytes (sorted keys, no whitespace, UTF-8): what gets signed."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    """Hex SHA-256."""
    return hashlib.sha256(data).hexdigest()


class SigningKey:
    """An Ed25519 private key."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key = b64(raw)
        self.fingerprint = fingerprint(self.public_key)

    @classmethod
    def generate(cls) -> SigningKey:
        """A fresh random key."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load_or_create(cls, path: Path) -> SigningKey:
        """Read the key at ``path``, creating it (mode 0600) when there is none.

        :raises SyncError: the file is unreadable, not a key, or readable by others.
        """
        if not path.exists():
            key = cls.generate()
            key.save(path)
            return key
        return cls.load(path)

    @classmethod
    def load(cls, path: Path) -> SigningKey:
        """Read the key at ``path``.

        :raises SyncError: missing, unreadable, malformed, or readable by group/others.
        """
        try:
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:
                raise SyncError(f"{path} is readable by others (mode {mode:o}); chmod 600 it")
            seed = unb64(path.read_text().strip())
            return cls(Ed25519PrivateKey.from_private_bytes(seed))
        except (OSError, ValueError) as err:
            raise SyncError(f"cannot read the key {path}: {err}") from err

    def save(self, path: Path) -> None:
        """Write the key atomically, mode 0600."""
        seed = self._key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(b64(seed) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def sign(self, data: bytes) -> str:
        """The base64 signature of ``data``."""
        return b64(self._key.sign(data))


def fingerprint(public_key: str) -> str:
    """The short id of a public key (hex, 32 characters)."""
    return sha256_hex(unb64(public_key))[:32]


def verify(public_key: str, signature: str, data: bytes) -> bool:
    """True when ``signature`` is ``public_key``'s signature of ``data`` (False for any malformed input)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(unb64(public_key))
        key.verify(unb64(signature), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
