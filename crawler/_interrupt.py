"""Ctrl-C during a crawl: stop soon, keep everything, say how to continue.

Scrapy already makes the first SIGINT a graceful stop (no new requests; the
spider closes, so WARCs, logs and stats are closed with reason ``shutdown``)
and the second a forced one (the reactor stops at once). Two things it lacks
are added here: a record of whether the crawl was interrupted, and a bound on
the graceful stop. Scrapy waits for every request in flight, and a slow host
can hold one for the whole download timeout; after ``INTERRUPT_GRACE``
seconds the requests still in flight are abandoned (their state rows stay
unfinished, so ``--resume`` fetches them again) and the spider closes as usual.

Reaches into Scrapy's engine slot (``_slot.inprogress``), valid under the
``scrapy<2.20`` pin; ``tests/crawler/test_interrupt.py`` fails if that changes.
"""

from __future__ import annotations

import sys
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from twisted.internet import task

__all__ = ["InterruptibleProcess"]


class InterruptibleProcess(CrawlerProcess):
    """A :class:`CrawlerProcess` that remembers Ctrl-C and bounds its graceful stop."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.grace = settings.getfloat("INTERRUPT_GRACE")
        self.interrupted = False

    def _signal_shutdown(self, signum: int, frame: Any) -> None:
        from twisted.internet import reactor

        self.interrupted = True
        super()._signal_shutdown(signum, frame)
        reactor.callFromThread(self._start_grace)

    def _start_grace(self) -> None:
        from twisted.internet import reactor

        print(
            f"stopping: finishing requests in flight (at most {self.grace:g} s); "
            "Ctrl-C again to stop at once",
            file=sys.stderr,
            flush=True,
        )
        task.deferLater(reactor, self.grace, self._abandon_in_flight)

    def _abandon_in_flight(self) -> None:
        for crawler in self.crawlers:
            slot = getattr(crawler.engine, "_slot", None)
            if slot is not None and slot.closing is not None and not slot.closing.called:
                slot.inprogress.clear()
                slot._maybe_fire_closing()
