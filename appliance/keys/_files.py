"""Secrets in their own files: ``<data>/keys/<name>``, folder 0700, files 0600, written atomically.

Secrets never go into the store's shards (which are journaled, kept as ``.prev`` and copied by every
backup): a key file is written once to a temp file, fsynced, and linked into place, so two processes
creating the same secret at once end up with one value.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import stat
from pathlib import Path

from appliance.keys._errors import KeyFileError

log = logging.getLogger("appliance.keys")

KEYS_DIR = "keys"
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes, *, replace: bool = False) -> None:
    """Write ``data`` to a new 0600 file at ``path`` atomically; the parent folder must exist.

    :param replace: overwrite an existing file (otherwise that is an error).
    :raises KeyFileError: the parent folder is missing, the file exists, or the disk refused.
    """
    if not path.parent.is_dir():
        raise KeyFileError(f"the folder {path.parent} does not exist (is the USB stick mounted?)")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if the file exists: never overwrites
    except FileExistsError as err:
        raise KeyFileError(f"{path} exists already; not overwritten") from err
    except OSError as err:
        raise KeyFileError(f"could not write {path}: {err.strerror or err}") from err
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        _fsync_dir(path.parent)


class KeyFiles:
    """The key files of one data folder: ``KeyFiles(data_dir).secret("session_secret")``."""

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.directory = Path(data_dir) / KEYS_DIR

    def path(self, name: str) -> Path:
        """The file of key ``name`` (lower-case letters, digits, ``.``, ``_``, ``-``).

        :raises KeyFileError: not a valid key name.
        """
        if not _NAME.match(name):
            raise KeyFileError(f"{name!r} is not a valid key name")
        return self.directory / name

    def _ensure_dir(self) -> None:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            if stat.S_IMODE(self.directory.stat().st_mode) != 0o700:
                os.chmod(self.directory, 0o700)
        except OSError as err:
            raise KeyFileError(f"could not create {self.directory}: {err.strerror or err}") from err

    def read(self, name: str) -> bytes | None:
        """The key's bytes, or None when there is no such key (a file others may read is tightened).

        :raises KeyFileError: the file exists but cannot be read.
        """
        path = self.path(name)
        try:
            with open(path, "rb") as handle:
                mode = stat.S_IMODE(os.fstat(handle.fileno()).st_mode)
                if mode & 0o077:
                    log.warning("key file %s was readable by others (mode %o); set to 0600", path, mode)
                    os.fchmod(handle.fileno(), 0o600)
                return handle.read()
        except FileNotFoundError:
            return None
        except OSError as err:
            raise KeyFileError(f"could not read {path}: {err.strerror or err}") from err

    def write(self, name: str, data: bytes, *, replace: bool = False) -> Path:
        """Store a key (0600, atomically); an existing key is kept unless ``replace``.

        :raises KeyFileError: it exists (and not ``replace``), or the disk refused.
        """
        self._ensure_dir()
        path = self.path(name)
        write_private(path, data, replace=replace)
        return path

    def secret(self, name: str, nbytes: int = 32) -> str:
        """A random URL-safe secret kept in key file ``name``, created on first use.

        :raises KeyFileError: the key file cannot be read or written.
        """
        existing = self.read(name)
        if existing:
            return existing.decode().strip()
        value = secrets.token_urlsafe(nbytes)
        try:
            self.write(name, value.encode() + b"\n")
        except KeyFileError:
            raced = self.read(name)  # another process created it first: use theirs
            if not raced:
                raise
            return raced.decode().strip()
        return value

    def names(self) -> list[str]:
        """Every key stored here, sorted."""
        if not self.directory.is_dir():
            return []
        return sorted(p.name for p in self.directory.iterdir() if p.is_file() and _NAME.match(p.name))
