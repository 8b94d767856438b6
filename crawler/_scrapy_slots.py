"""The one module that reaches past the public surface of Scrapy's download slots.

Scrapy 2.19 paces each download slot itself: it waits ``slot.delay - (now - slot.lastseen)``
before handing the slot's next queued request to the download handler. It offers no public
way to pause a slot, to take back the requests queued in one, or to restart the pacing
clock, and those are what host politeness needs. Scrapy's own AutoThrottle sets
``Slot.delay`` directly; we do the same and a little more, all of it here, so that a Scrapy
upgrade breaks this file only and ``tests/crawler/test_scrapy_slots.py`` fails loudly
instead of the crawl quietly turning impolite. Valid under the ``scrapy<2.20`` pin.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from twisted.python.failure import Failure

if TYPE_CHECKING:
    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Request

__all__ = [
    "hold_request",
    "hold_until",
    "raise_delay",
    "restart_pacing",
    "wake_engine",
    "withdraw_queued",
]


def _slot(crawler: Crawler, key: str) -> Slot | None:
    engine = crawler.engine
    return engine.downloader.slots.get(key) if engine is not None else None


def raise_delay(crawler: Crawler, key: str, seconds: float) -> None:
    """Make the slot's delay at least ``seconds`` (as AutoThrottle sets it); never lower it."""
    slot = _slot(crawler, key)
    if slot is not None:
        slot.delay = max(slot.delay, seconds)


def hold_until(crawler: Crawler, key: str, deadline: float) -> None:
    """No request of the slot starts before ``deadline`` (a ``time.monotonic()`` value)."""
    slot = _slot(crawler, key)
    if slot is not None:
        slot.lastseen = max(slot.lastseen, deadline - slot.delay)


def hold_request(crawler: Crawler, request: Request, key: str, deadline: float) -> None:
    """Open the request's slot (``key``) now, held until ``deadline`` (``time.monotonic()``).

    For a request claimed ahead of its host's turn on a shared frontier: anything of the
    host this worker sends before the request itself (robots.txt, TDMRep, on the way
    through the middlewares) waits in the same slot, so the slot must hold before the
    request reaches it, not when it does. Relies on ``slot.delay > 0``: the politeness
    middleware refuses a ``DOWNLOAD_DELAY`` under one second.
    """
    engine = crawler.engine
    if engine is None:
        return
    request.meta["download_slot"] = key
    _key, slot = engine.downloader._get_slot(request)
    slot.lastseen = max(slot.lastseen, deadline - slot.delay)


def restart_pacing(crawler: Crawler, key: str) -> None:
    """Count the slot's delay from now rather than from when its last request was dequeued.

    Scrapy stamps ``lastseen`` when it hands a request to the download handler, before the
    connection is made and the request written; the request reaches the server later (tens
    of milliseconds idle, up to 0.37 s seen under a CPU hog, most on a new connection), and
    the next one may then arrive less than the delay after it. Restarted from a moment the
    server has surely seen the request (its answer began), the delay is a floor between
    arrivals as the server sees them.
    """
    slot = _slot(crawler, key)
    if slot is not None:
        slot.lastseen = max(slot.lastseen, time.monotonic())


def withdraw_queued(crawler: Crawler, key: str, refuse: Callable[[Request], BaseException]) -> int:
    """Take every request waiting in the slot's queue back out of the downloader.

    Each one fails with ``refuse(request)``, as if a middleware had raised it, so the engine
    lets go of it (and frees its place among ``CONCURRENT_REQUESTS``). Returns how many.
    """
    slot = _slot(crawler, key)
    withdrawn = 0
    while slot is not None and slot.queue:
        request, deferred = slot.queue.popleft()
        deferred.errback(Failure(refuse(request)))  # type: ignore[no-untyped-call]
        withdrawn += 1
    return withdrawn


def wake_engine(crawler: Crawler) -> None:
    """Ask the engine for its scheduler's next request now.

    The engine asks by itself when a download ends, a request is scheduled, or every five
    seconds; a shared frontier has a host ready at a time the engine cannot know of.
    """
    engine = crawler.engine
    slot = getattr(engine, "_slot", None) if engine is not None else None
    if slot is not None:
        slot.nextcall.schedule()
