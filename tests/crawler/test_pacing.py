"""Send pacing: a host's delay restarts when the answer to its last request begins."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

from scrapy import Request, Spider, signals
from scrapy.core.downloader import Downloader
from scrapy.http import Headers
from scrapy.utils.test import get_crawler

from crawler.pacing import SendPacing

KEY = "http://a.example"


def received(meta: dict[str, str]) -> tuple[float, float]:
    """(lastseen before, lastseen after) the headers of a request with ``meta`` arrive."""

    async def main() -> tuple[float, float]:
        settings = {"DOWNLOAD_DELAY": 1.0, "DOWNLOAD_HANDLERS": {"http": None, "https": None}}
        crawler = get_crawler(Spider, settings)
        downloader = Downloader(crawler)
        crawler.engine = SimpleNamespace(downloader=downloader)  # type: ignore[assignment]
        pacing = SendPacing.from_crawler(crawler)  # signals hold only a weak reference
        _, slot = downloader._get_slot(Request(KEY + "/", meta={"download_slot": KEY}))
        before = slot.lastseen
        request = Request(KEY + "/page", meta=meta)
        crawler.signals.send_catch_log(
            signals.headers_received, headers=Headers(), body_length=0, request=request, spider=None
        )
        downloader.close()
        assert pacing.crawler is crawler
        return before, slot.lastseen

    return asyncio.run(main())


def test_the_delay_restarts_when_the_answer_begins() -> None:
    started = time.monotonic()
    before, after = received({"download_slot": KEY})
    assert before < started <= after


def test_a_request_of_another_slot_leaves_this_one_alone() -> None:
    assert received({"download_slot": "http://b.example"}) == (0, 0)
    assert received({}) == (0, 0)
