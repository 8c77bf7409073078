"""The site's Ed25519 signing key, its ``did:key`` and Multikey forms.

The private key lives alone in a PEM file readable only by its owner (0600), in the data folder; it is never
written to the store. A Multikey public key is ``z`` + base58btc(0xed 0x01 + the 32 raw key bytes).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from appliance.credentials._errors import KeyFileError, SignatureInvalid

_ED25519_PUB = b"\xed\x01"
_ED25519_PRIV = b"\x80\x26"


def multikey(public: Ed25519PublicKey) -> str:
    """The Multikey (``publicKeyMultibase``) form of a public key."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58.b58encode(_ED25519_PUB + raw).decode("ascii")


def public_key_from_multikey(value: str) -> Ed25519PublicKey:
    """Decode a Multikey Ed25519 public key.

    :raises SignatureInvalid: not a base58btc Ed25519 Multikey.
    """
    try:
        raw = base58.b58decode(value.removeprefix("z")) if value.startswith("z") else b""
    except ValueError as err:
        raise SignatureInvalid(f"{value!r} is not base58btc") from err
    if len(raw) != 34 or raw[:2] != _ED25519_PUB:
        raise SignatureInvalid(f"{value!r} is not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def did_key_public_key(verification_method: str) -> tuple[str, Ed25519PublicKey]:
    """Split a ``did:key:z…#z…`` verification method into its DID and public key.

    :raises SignatureInvalid: not an Ed25519 did:key verification method.
    """
    did, _, fragment = verification_method.partition("#")
    if not did.startswith("did:key:"):
        raise SignatureInvalid(f"verification method {verification_method!r} is not a did:key")
    key = did.removeprefix("did:key:")
    if fragment and fragment != key:
        raise SignatureInvalid(f"verification method fragment {fragment!r} does not match the did:key")
    return did, public_key_from_multikey(key)


def verify_signature(public: Ed25519PublicKey, signature: bytes, data: bytes) -> None:
    """Check an Ed25519 signature.

    :raises SignatureInvalid: it does not match.
    """
    try:
        public.verify(signature, data)
    except InvalidSignature as err:
        raise SignatureInvalid("the signature does not match the document") from err


class SigningKey:
    """An Ed25519 key pair that signs as a ``did:key``."""

    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public = private.public_key()
        self.multikey = multikey(self.public)
        self.did = f"did:key:{self.multikey}"
        self.verification_method = f"{self.did}#{self.multikey}"

    @classmethod
    def generate(cls) -> SigningKey:
        """A fresh random key (tests, a hub)."""
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_multibase(cls, private_multibase: str) -> SigningKey:
        """Load a Multikey-encoded private key (``z`` + base58btc(0x80 0x26 + 32 bytes)), e.g. a test vector's."""
        raw = base58.b58decode(private_multibase.removeprefix("z"))
        if len(raw) != 34 or raw[:2] != _ED25519_PRIV:
            raise KeyFileError("not an Ed25519 Multikey private key")
        return cls(Ed25519PrivateKey.from_private_bytes(raw[2:]))

    @classmethod
    def load_or_create(cls, path: Path) -> SigningKey:
        """Load the key at ``path``, creating it (mode 0600) on first use.

        :raises KeyFileError: the file is readable by group or others, or is not an Ed25519 PEM key.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it first: load theirs
            else:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(pem)
                    handle.flush()
                    os.fsync(handle.fileno())
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise KeyFileError(f"{path} is readable by others (mode {mode:o}); run: chmod 600 {path}")
        try:
            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (ValueError, TypeError) as err:
            raise KeyFileError(f"{path} is not a PEM private key") from err
        if not isinstance(private, Ed25519PrivateKey):
            raise KeyFileError(f"{path} is not an Ed25519 key")
        return cls(private)

    def sign(self, data: bytes) -> bytes:
        """An Ed25519 signature over ``data``."""
        return self._private.sign(data)
