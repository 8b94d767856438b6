"""The slot adapter against the installed Scrapy: if an upgrade changes a slot, these fail.

Each test drives a real ``Downloader`` (built from a crawler of ``get_crawler``) inside a
running asyncio loop, as a crawl would, and checks the behaviour the adapter relies on:
a slot starts its next request only ``delay`` after ``lastseen``; its queue holds
``(request, deferred)`` pairs.
"""

from __future__ import annotations

import ast
import asyncio
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request, Spider
from scrapy.core.downloader import Downloader, Slot
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler._scrapy_slots import (
    hold_request,
    hold_until,
    raise_delay,
    restart_pacing,
    withdraw_queued,
)

REPO = Path(__file__).parents[2]
KEY = "http://a.example"


def in_loop(test: Callable[[Crawler, Downloader, Slot], None]) -> None:
    """Run ``test`` with a crawler whose engine has a real downloader and one slot, ``KEY``."""

    async def main() -> None:
        settings = {
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
            "DOWNLOAD_DELAY": 1.0,
            "DOWNLOAD_HANDLERS": {"http": None, "https": None},
        }
        crawler = get_crawler(Spider, settings)
        downloader = Downloader(crawler)
        crawler.engine = SimpleNamespace(downloader=downloader)  # type: ignore[assignment]
        _, slot = downloader._get_slot(Request(KEY + "/", meta={"download_slot": KEY}))
        try:
            test(crawler, downloader, slot)
        finally:
            downloader.close()

    asyncio.run(main())


def queue_one(slot: Slot, failures: list[Failure] | None = None) -> list[Failure]:
    failures = [] if failures is None else failures
    deferred: Deferred[Any] = Deferred()
    deferred.addErrback(failures.append)
    slot.queue.append((Request(KEY + "/page"), deferred))
    return failures


def test_scrapy_sends_a_due_request_at_once_and_stamps_lastseen_then() -> None:
    """The control: without the adapter a queued request leaves the slot immediately."""

    def check(crawler: Crawler, downloader: Downloader, slot: Slot) -> None:
        queue_one(slot)
        before = time.monotonic()
        downloader._process_queue(slot)
        assert not slot.queue
        assert slot.lastseen >= before  # Scrapy's pacing clock starts at dequeue

    in_loop(check)


@pytest.mark.parametrize(
    "close",
    [
        lambda crawler: hold_until(crawler, KEY, time.monotonic() + 30),
        lambda crawler: restart_pacing(crawler, KEY),
    ],
    ids=["hold_until", "restart_pacing"],
)
def test_the_adapter_keeps_a_due_request_in_the_slot(close: Callable[[Crawler], None]) -> None:
    def check(crawler: Crawler, downloader: Downloader, slot: Slot) -> None:
        queue_one(slot)
        close(crawler)
        downloader._process_queue(slot)
        assert len(slot.queue) == 1 and slot.latercall is not None

    in_loop(check)


def test_hold_request_opens_the_request_s_slot_held_before_anything_reaches_it() -> None:
    """A request claimed ahead: its slot (a new one here) holds whatever of the host comes
    first, robots.txt included, until the deadline."""
    other = "http://other.example"

    def check(crawler: Crawler, downloader: Downloader, slot: Slot) -> None:
        request = Request(other + "/page")
        hold_request(crawler, request, other, time.monotonic() + 30)
        assert request.meta["download_slot"] == other
        held = downloader.slots[other]
        held.queue.append((Request(other + "/robots.txt"), Deferred()))
        downloader._process_queue(held)
        assert len(held.queue) == 1 and held.latercall is not None

    in_loop(check)


@pytest.mark.parametrize(("start", "wanted", "expected"), [(1.0, 5.0, 5.0), (7.0, 5.0, 7.0)])
def test_raise_delay_never_lowers_a_slot_delay(
    start: float, wanted: float, expected: float
) -> None:
    def check(crawler: Crawler, downloader: Downloader, slot: Slot) -> None:
        slot.delay = start
        raise_delay(crawler, KEY, wanted)
        assert downloader.slots[KEY].delay == expected

    in_loop(check)


def test_withdraw_queued_fails_each_queued_request_with_its_exception() -> None:
    def check(crawler: Crawler, downloader: Downloader, slot: Slot) -> None:
        failures = queue_one(slot, queue_one(slot))
        count = withdraw_queued(crawler, KEY, lambda request: IgnoreRequest(request.url))
        assert count == 2 and not slot.queue
        assert [f.value.args for f in failures] == [(KEY + "/page",), (KEY + "/page",)]

    in_loop(check)


def test_an_unknown_slot_is_left_alone() -> None:
    def check(crawler: Crawler, downloader: Downloader, slot: Slot) -> None:
        raise_delay(crawler, "http://other.example", 9.0)
        hold_until(crawler, "http://other.example", time.monotonic() + 9)
        restart_pacing(crawler, "http://other.example")
        assert withdraw_queued(crawler, "http://other.example", IgnoreRequest) == 0
        assert list(downloader.slots) == [KEY]

    in_loop(check)


# --- nothing else touches slot internals -----------------------------------------------------

_INTERNAL = {"lastseen", "latercall", "transferring", "slots"}
_SLOT_FIELDS = {"delay", "queue", "active", "concurrency", "jitter"}


def _touches(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        base = ast.unparse(node.value).lower()
        if node.attr in _INTERNAL or (node.attr in _SLOT_FIELDS and "slot" in base):
            yield f"{ast.unparse(node)} (line {node.lineno})"


@pytest.mark.parametrize("package", ["crawler", "pipeline", "policies", "gleaner"])
def test_only_the_adapter_touches_download_slots(package: str) -> None:
    found = {
        str(path.relative_to(REPO)): touches
        for path in sorted((REPO / package).rglob("*.py"))
        if path.name != "_scrapy_slots.py"
        and (touches := list(_touches(ast.parse(path.read_text(encoding="utf-8")))))
    }
    assert found == {}


def test_wake_engine_calls_the_engine_slot_s_next_call() -> None:
    import inspect

    from scrapy.core.engine import _Slot
    from scrapy.utils.reactor import CallLaterOnce

    from crawler._scrapy_slots import wake_engine

    # What wake_engine relies on: the engine's slot keeps a CallLaterOnce as ``nextcall``.
    assert "nextcall" in inspect.signature(_Slot.__init__).parameters
    asked: list[float] = []
    nextcall = CallLaterOnce(lambda: None)
    nextcall.schedule = lambda delay=0: asked.append(delay)  # type: ignore[method-assign]
    crawler = get_crawler(Spider, {})
    crawler.engine = SimpleNamespace(_slot=SimpleNamespace(nextcall=nextcall))  # type: ignore[assignment]
    wake_engine(crawler)
    assert asked == [0]
