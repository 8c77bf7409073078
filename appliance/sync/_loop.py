"""The opportunistic loop: sync in the background when the hub is reachable, back off when it is not.

The delay after ``n`` failures in a row is ``min(cap, base * 2**n)`` times a random factor in [0.5, 1]
(jitter, so a hundred wards that lost the hub together do not come back in lock-step). A revoked
device keeps trying at the cap, so a mistaken revocation heals once it is lifted. Nothing here blocks the
event loop: store calls run in threads and network calls are async.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType

import httpx

from appliance.store import Store
from appliance.sync._errors import NotEnrolled, SyncError
from appliance.sync._stages import SyncReport, async_sync
from appliance.sync._state import SiteFiles, SyncStatus
from appliance.sync._wire import Notice

log = logging.getLogger(__name__)


def backoff_delay(
    failures: int, *, base: float, cap: float, rand: Callable[[], float] = random.random
) -> float:
    """Seconds to wait after ``failures`` failed sessions in a row (0 failures: ``cap``-free base)."""
    return min(cap, base * 2 ** max(0, failures)) * (0.5 + 0.5 * rand())


class SyncLoop:
    """A background task that keeps a store in sync; use it as an async context manager."""

    def __init__(
        self,
        store: Store,
        *,
        client_factory: Callable[[], httpx.AsyncClient] = lambda: httpx.AsyncClient(timeout=30),
        interval: float = 300.0,
        base: float = 5.0,
        cap: float = 1800.0,
        urls: tuple[str, ...] = (),
        discover: bool = True,
        interfaces: list[str] | None = None,
        on_notice: Callable[[Notice], object] | None = None,
    ) -> None:
        self.store = store
        self.files = SiteFiles(store.data_dir)
        self._client_factory = client_factory
        self.interval, self.base, self.cap = interval, base, cap
        self._kwargs = {"urls": urls, "discover": discover, "interfaces": interfaces, "on_notice": on_notice}
        self.failures = 0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.last_report: SyncReport | None = None

    async def __aenter__(self) -> SyncLoop:
        await self.async_start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.async_stop()

    async def async_start(self) -> None:
        """Start the background task (for start-up hooks such as NiceGUI's ``app.on_startup``)."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="sync-loop")

    async def async_stop(self) -> None:
        """Cancel the background task and wait for it (``app.on_shutdown``)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def trigger(self) -> None:
        """Sync now instead of waiting out the delay ("Sync now" on the admin page)."""
        self._wake.set()

    def status(self) -> SyncStatus:
        """The honest status (see :func:`appliance.sync.sync_status`)."""
        return self.files.status()

    async def async_once(self) -> SyncReport | None:
        """One session; errors are recorded in the status, never raised. Return the report on success."""
        try:
            async with self._client_factory() as client:
                self.last_report = await async_sync(self.store, client, **self._kwargs)  # type: ignore[arg-type]
        except NotEnrolled:
            return None
        except (SyncError, OSError) as err:
            self.failures += 1
            log.info("sync failed (%d in a row): %s", self.failures, err)
            return None
        except Exception:  # a bug or a store error must not end the loop; the status already says what
            self.failures += 1
            log.exception("sync failed unexpectedly (%d in a row)", self.failures)
            return None
        self.failures = 0
        return self.last_report

    def _note_next(self, when: datetime) -> None:
        self.files.save_status(self.files.status().model_copy(update={"next_attempt": when}))

    async def _run(self) -> None:
        while True:
            await self.async_once()
            delay = (
                self.interval
                if self.failures == 0
                else backoff_delay(self.failures, base=self.base, cap=self.cap)
            )
            next_attempt = datetime.now(UTC) + timedelta(seconds=delay)
            await asyncio.to_thread(self._note_next, next_attempt)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
