"""The backup key kit: a recovery key shown once at setup, and the public half kept on the box.

Backups are encrypted with age (X25519 recipients, ChaCha20-Poly1305 payload; via ``pyrage``, bindings
to the audited ``rage`` implementation). The box keeps only the *public* recipient
(``<data>/keys/backup-recipient``), so it can write backups without any secret, and a stolen box or a
lost USB stick does not open them. The recovery key (an age identity, ``AGE-SECRET-KEY-1...``) exists
only where the administrator printed or saved it; it also decrypts a backup on any computer with the
standard ``age`` tool: ``age -d -i recovery-key.txt ward.wardbackup | tar -xz``.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import pyrage

from appliance.keys._errors import (
    KeyFileError,
    KeyKitExists,
    KeyKitMissing,
    NotARecoveryKey,
    WrongRecoveryKey,
)
from appliance.keys._files import KeyFiles, write_private

RECIPIENT_KEY = "backup-recipient"
"""The key file holding the public half of the kit."""
AGE_MAGIC = b"age-encryption.org/v1\n"
_SECRET = re.compile(r"AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}")
_PUBLIC = re.compile(r"^age1[02-9ac-hj-np-z]{58}$", re.MULTILINE)


@dataclass(frozen=True)
class RecoveryKey:
    """The secret that opens this appliance's backups. Show it once; never store it on the box."""

    secret: str = field(repr=False)
    recipient: str
    """The public half (``age1...``) the box encrypts to."""
    created_at: datetime | None = None

    @classmethod
    def parse(cls, text: str) -> RecoveryKey:
        """Read a recovery key as printed, typed (spaces and case do not matter) or saved to a file.

        :raises NotARecoveryKey: no recovery key in the text (or a typo: the key has a checksum).
        """
        lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        squeezed = re.sub(r"\s+", "", "".join(lines)).upper()
        match = _SECRET.search(squeezed)
        if match is None:
            raise NotARecoveryKey("that is not a recovery key (it starts with AGE-SECRET-KEY-1)")
        try:
            identity = pyrage.x25519.Identity.from_str(match.group(0))
        except pyrage.IdentityError as err:
            raise NotARecoveryKey("that recovery key has a typo (its checksum does not match)") from err
        return cls(secret=match.group(0), recipient=str(identity.to_public()))

    @classmethod
    def read(cls, path: str | Path) -> RecoveryKey:
        """Read a recovery key file (as written by :meth:`save` or ``age-keygen``).

        :raises KeyFileError: the file cannot be read.
        :raises NotARecoveryKey: it holds no recovery key.
        """
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError as err:
            raise KeyFileError(f"could not read the key file {path}: {err.strerror or err}") from err
        return cls.parse(text)

    def grouped(self) -> str:
        """The key in groups of six for reading aloud or copying by hand."""
        body = self.secret[len("AGE-SECRET-KEY-1") :]
        return "AGE-SECRET-KEY-1 " + " ".join(body[i : i + 6] for i in range(0, len(body), 6))

    def file_text(self) -> str:
        """An age identity file: what :meth:`save` writes and ``age -d -i`` reads."""
        created = f"# created: {self.created_at:%Y-%m-%dT%H:%M:%SZ}\n" if self.created_at else ""
        return (
            f"# Ward appliance backup recovery key\n{created}# public key: {self.recipient}\n{self.secret}\n"
        )

    def sheet(self, site_name: str | None = None) -> str:
        """A page to print and keep with the site's other emergency documents."""
        site = f" for {site_name}" if site_name else ""
        return (
            f"Ward appliance backup recovery key{site}\n\n"
            f"    {self.grouped()}\n\n"
            "Backups of this appliance can only be restored with this key. It is shown once and is not\n"
            "kept on the appliance: print it or save it, and store it away from the backups.\n"
            f"Public key (safe to share): {self.recipient}\n"
        )

    def save(self, path: str | Path) -> Path:
        """Write the key to a new 0600 file; the folder must exist (an unmounted USB stick is noticed).

        :raises KeyFileError: the folder is missing, the file exists, or the disk refused.
        """
        target = Path(path)
        write_private(target, self.file_text().encode())
        return target

    def identity(self) -> pyrage.x25519.Identity:
        """The age identity (for decrypting)."""
        return pyrage.x25519.Identity.from_str(self.secret)


def make_key_kit(data_dir: str | Path, *, replace: bool = False, now: datetime | None = None) -> RecoveryKey:
    """Create the backup key kit: keep the public half (0600) in ``<data>/keys/``, return the secret.

    Call it once at provisioning and show :meth:`RecoveryKey.sheet` to the administrator.

    :param replace: make a new kit over an existing one (backups made before need the old key).
    :raises KeyKitExists: there is a kit already and ``replace`` is False.
    :raises KeyFileError: the key file could not be written.
    """
    files = KeyFiles(data_dir)
    if not replace and files.read(RECIPIENT_KEY) is not None:
        raise KeyKitExists("this appliance has a backup key already; replacing it needs --replace")
    identity = pyrage.x25519.Identity.generate()
    created = now or datetime.now(UTC)
    key = RecoveryKey(secret=str(identity), recipient=str(identity.to_public()), created_at=created)
    text = (
        "# Backups of this appliance are encrypted to this public key (age X25519).\n"
        f"# created: {created:%Y-%m-%dT%H:%M:%SZ}; the recovery key was shown once and is not kept here.\n"
        f"{key.recipient}\n"
    )
    files.write(RECIPIENT_KEY, text.encode(), replace=replace)
    return key


def backup_recipient(data_dir: str | Path) -> str:
    """The public key this appliance encrypts its backups to.

    :raises KeyKitMissing: no key kit yet.
    :raises KeyFileError: the key file is unreadable or holds no public key.
    """
    raw = KeyFiles(data_dir).read(RECIPIENT_KEY)
    if raw is None:
        raise KeyKitMissing(
            "this appliance has no backup key yet: create one with `appliance backup-key` "
            "(it shows the recovery key once)"
        )
    match = _PUBLIC.search(raw.decode(errors="replace"))
    if match is None:
        raise KeyFileError(f"{KeyFiles(data_dir).path(RECIPIENT_KEY)} holds no public key")
    return match.group(0)


def is_encrypted(head: bytes) -> bool:
    """True when a file starting with ``head`` is an age-encrypted file."""
    return head.startswith(AGE_MAGIC)


def encrypt_stream(source: BinaryIO, target: BinaryIO, recipient: str) -> None:
    """Encrypt everything read from ``source`` to ``recipient`` into ``target``.

    :raises KeyFileError: ``recipient`` is not a public key.
    :raises OSError: reading or writing failed (e.g. ENOSPC on the target).
    """
    try:
        public = pyrage.x25519.Recipient.from_str(recipient)
    except pyrage.RecipientError as err:
        raise KeyFileError(f"{recipient!r} is not a backup public key") from err
    try:
        pyrage.encrypt_io(source, target, [public])
    except pyrage.EncryptError as err:  # rage reports the stream's I/O errors as text: give them back
        code = re.search(r"\[Errno (\d+)\]", str(err))
        raise OSError(int(code.group(1)) if code else errno.EIO, str(err)) from err


def decrypt_stream(source: BinaryIO, target: BinaryIO, key: RecoveryKey) -> None:
    """Decrypt ``source`` into ``target`` with the recovery key.

    :raises WrongRecoveryKey: the file was encrypted to another key.
    :raises ValueError: the file is damaged, cut short (its authentication fails) or unreadable.
    """
    try:
        pyrage.decrypt_io(source, target, [key.identity()])
    except pyrage.DecryptError as err:
        if "no matching keys" in str(err).lower():
            raise WrongRecoveryKey(
                "this recovery key does not open this backup (it was made for another key kit)"
            ) from err
        raise ValueError(f"the encrypted data is damaged or incomplete ({err})") from err
    except OSError as err:  # rage reports a payload that fails authentication (cut short) as an I/O error
        raise ValueError(f"the encrypted data is damaged, incomplete or unreadable ({err})") from err
