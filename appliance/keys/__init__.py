"""Secrets and the backup key kit, kept in 0600 files under ``<data>/keys/``, never in the store.

::

    key = make_key_kit(settings.data_dir)      # at provisioning: show key.sheet() once
    secret = KeyFiles(settings.data_dir).secret("session_secret")
    recipient = backup_recipient(settings.data_dir)   # what backups are encrypted to (public)

Errors: ``KeysError > KeyFileError | KeyKitMissing | KeyKitExists | NotARecoveryKey |
WrongRecoveryKey`` (see ``_errors``). No NiceGUI, no store: the store builds on this package.
"""

from appliance.keys._errors import (
    KeyFileError,
    KeyKitExists,
    KeyKitMissing,
    KeysError,
    NotARecoveryKey,
    WrongRecoveryKey,
)
from appliance.keys._files import KEYS_DIR, KeyFiles, write_private
from appliance.keys._kit import (
    RECIPIENT_KEY,
    RecoveryKey,
    backup_recipient,
    decrypt_stream,
    encrypt_stream,
    is_encrypted,
    make_key_kit,
)

__all__ = [
    "KEYS_DIR",
    "RECIPIENT_KEY",
    "KeyFileError",
    "KeyFiles",
    "KeyKitExists",
    "KeyKitMissing",
    "KeysError",
    "NotARecoveryKey",
    "RecoveryKey",
    "WrongRecoveryKey",
    "backup_recipient",
    "decrypt_stream",
    "encrypt_stream",
    "is_encrypted",
    "make_key_kit",
    "write_private",
]
