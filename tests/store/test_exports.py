"""The package's public surface is deliberate."""

from __future__ import annotations

import appliance.store as store


def test_every_exported_name_exists_and_internals_stay_private() -> None:
    assert sorted(store.__all__) == sorted(set(store.__all__))
    for name in store.__all__:
        assert hasattr(store, name), name
    assert not any(name.startswith("_") for name in store.__all__)


def test_every_store_error_derives_from_store_error() -> None:
    errors = [getattr(store, n) for n in store.__all__ if isinstance(getattr(store, n), type)]
    for error in (e for e in errors if issubclass(e, Exception)):
        assert issubclass(error, store.StoreError)
