"""Per-host pacing counted from when the server surely had the request, not from dequeueing.

Scrapy counts ``DOWNLOAD_DELAY`` (and a Crawl-delay) from the moment a request leaves its
slot's queue for the download handler; the request reaches the server only after a
connection is made and it is written, later under load, so two arrivals could be closer
than the delay. When a response's headers arrive, the server has received the request, so
the delay restarts from then: the gap between two arrivals, as the server stamps them, is
then at least the delay (plus the server's time to answer, small next to one second).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler._scrapy_slots import restart_pacing

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request

__all__ = ["SendPacing"]


class SendPacing:
    """Extension: restart a host's delay when the answer to its last request begins."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SendPacing:
        ext = cls(crawler)
        crawler.signals.connect(ext.headers_received, signal=signals.headers_received)
        return ext

    def headers_received(self, request: Request, **_: Any) -> None:
        key = request.meta.get("download_slot")
        if key is not None:
            restart_pacing(self.crawler, key)
