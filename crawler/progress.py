"""A one-line progress report every few seconds, for people watching a crawl."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["Progress"]

log = logging.getLogger(__name__)


class Progress:
    """Extension: print fetched / refused / opted-out counts while the crawl runs."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        progress = cls(crawler, interval)
        crawler.signals.connect(progress.start, signal=signals.spider_opened)
        crawler.signals.connect(progress.stop, signal=signals.spider_closed)
        return progress

    def start(self) -> None:
        self.loop = task.LoopingCall(self.report)
        self.loop.start(self.interval, now=False)

    def stop(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.report()

    def report(self) -> None:
        stats = self.crawler.stats
        line = (
            f"crawl: {stats.get_value('response_received_count', 0)} responses, "
            f"{stats.get_value('policy/robots/denied', 0)} refused by robots.txt, "
            f"{stats.get_value('scheduler/enqueued', 0)} queued"
        )
        print(line, file=sys.stderr, flush=True)
