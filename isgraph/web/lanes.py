"""Two lanes for the server's work, so that light requests keep answering while heavy ones run.

Every piece of blocking work (a query, a page, a write) starts in the *fresh* lane,
which has ``workers`` places. Work still running after ``budget`` seconds is moved to
the *long* lane (``workers`` places too) as soon as another request needs a fresh
place: its fresh place is given back, and the newcomer starts at once. So ``workers``
long queries can never hold every place: a quick request waits only while ``workers``
requests that are all younger than the budget run, or while both lanes are full.

The threads that run the work are bounded apart (twice ``workers``, and one more), and
a store served from a process of its own answers as many requests at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import anyio
import anyio.to_thread

#: How often a request waiting for a fresh place looks for work to move to the long lane.
_LOOK_AGAIN = 0.05


class Lanes:
    def __init__(self, workers: int, budget: float) -> None:
        self.fresh = anyio.CapacityLimiter(workers)
        self.long = anyio.CapacityLimiter(workers)
        self.threads = anyio.CapacityLimiter(2 * workers + 1)
        self.budget = budget
        self._running: dict[object, tuple[float, anyio.CapacityLimiter]] = {}

    async def run(self, work: Callable[..., Any], *args: Any) -> Any:
        """``work(*args)`` in a worker thread, in a fresh place (moved to the long lane if it
        outlasts the budget while others wait)."""
        me = object()
        while True:
            self._move_long_runners()
            with anyio.move_on_after(_LOOK_AGAIN):
                await self.fresh.acquire_on_behalf_of(me)
                break
        self._running[me] = (time.monotonic(), self.fresh)
        try:
            return await anyio.to_thread.run_sync(work, *args, limiter=self.threads, abandon_on_cancel=True)
        finally:
            _, lane = self._running.pop(me)
            lane.release_on_behalf_of(me)

    def _move_long_runners(self) -> None:
        if self.fresh.available_tokens >= 1:
            return
        now = time.monotonic()
        for borrower, (started, lane) in list(self._running.items()):
            if lane is self.fresh and now - started >= self.budget and self.long.available_tokens >= 1:
                self.long.acquire_on_behalf_of_nowait(borrower)
                self.fresh.release_on_behalf_of(borrower)
                self._running[borrower] = (started, self.long)
