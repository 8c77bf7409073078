"""The store's health: can it write now, how much space is left, and the last disk error."""

from __future__ import annotations

from appliance.store.engine._core import Core
from appliance.store.engine._reports import StoreHealth
from appliance.store.engine._space import disk_space, is_disk_full, megabytes


def store_health(core: Core) -> StoreHealth:
    """Read free space now and report whether writes would be accepted (changes nothing)."""
    free = disk_space(core.data_dir).free
    journal = core.journal_bytes()
    unfolded = core.unfolded_bytes()
    limit = core.options.journal_limit_bytes
    short = free < core.reserve
    failed = core.failed
    disk_full = short or core.full_since is not None or (failed is not None and is_disk_full(failed))
    if core.closed:
        message = "The store is closed."
    elif short:
        message = (
            f"The disk is full ({megabytes(free)} free, {megabytes(core.reserve)} kept in reserve): nothing new "
            "can be saved. Free some space; saving resumes by itself."
        )
    elif core.full_since is not None and failed is None:
        message = "The disk was full at the last write: nothing new was saved. Free some space; saving resumes by itself."
    elif failed is not None:
        message = f"A journal write failed ({failed}); the store is repairing it and resumes by itself."
    elif unfolded > limit:
        message = (
            f"The journal is at its bound ({megabytes(limit)}); saving resumes after the next checkpoint."
        )
    else:
        message = "The store is saving normally."
    return StoreHealth(
        writable=not (core.closed or disk_full or failed is not None or unfolded > limit),
        disk_full=disk_full,
        free_bytes=free,
        reserve_bytes=core.reserve,
        journal_bytes=journal,
        journal_limit_bytes=limit,
        full_since=core.full_since if disk_full else None,
        last_error=core.last_error,
        last_error_at=core.last_error_at,
        last_checkpoint_at=core.last_checkpoint_at,
        message=message,
    )
