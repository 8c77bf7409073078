"""Errors of the keys package.

::

    KeysError                  base of everything the keys package raises
    ├── KeyFileError           a key file cannot be read or written (bad name, exists, unreadable)
    ├── KeyKitMissing          this appliance has no backup key kit yet
    ├── KeyKitExists           a key kit exists already (replacing it needs saying so)
    ├── NotARecoveryKey        the text given is not a recovery key (typo, or another kind of key)
    └── WrongRecoveryKey       the recovery key is a good key, but not the one this backup was made for
"""

from __future__ import annotations


class KeysError(Exception):
    """Base class for key errors."""


class KeyFileError(KeysError):
    """A key file cannot be read or written."""


class KeyKitMissing(KeysError):
    """This appliance has no backup key kit yet."""


class KeyKitExists(KeysError):
    """A backup key kit exists already."""


class NotARecoveryKey(KeysError, ValueError):
    """The text is not a recovery key."""


class WrongRecoveryKey(KeysError):
    """The recovery key does not open this backup."""
