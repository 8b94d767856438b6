"""The robots middleware's ``robots`` rows, in-process: one per request, refusals named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from crawler.robots import RobotsMiddleware
from tests.crawler.inprocess import decision_rows, project_crawler, robots_entry

URL = "http://127.0.0.1:8000/a"


@pytest.mark.parametrize(
    ("body", "crawl_delay", "expected"),
    [
        # (may_fetch, may_train, training_signal, deciding_signal, outcome)
        (b"User-agent: *\nAllow: /\n", None, (True, True, "unknown", None, None)),
        (b"User-agent: *\nDisallow: /\n", None, (False, False, "disallowed", "robots", None)),
        (
            b"User-agent: Gleaner-Extended\nDisallow: /\n",
            None,
            (True, False, "disallowed", "robots_training_token", None),
        ),
        # A Crawl-delay above our cap is our refusal, not the publisher's: an outcome.
        (b"User-agent: *\nAllow: /\n", 600.0, (False, None, "unknown", None, "crawl_delay")),
        (
            b"User-agent: Gleaner-Extended\nDisallow: /\n",
            600.0,
            (False, False, "disallowed", "robots_training_token", "crawl_delay"),
        ),
    ],
    ids=["open", "disallowed", "training refused", "crawl-delay", "crawl-delay, training refused"],
)
def test_every_request_gets_a_robots_row(
    tmp_path: Path, body: bytes, crawl_delay: float | None, expected: tuple[Any, ...]
) -> None:
    crawler = project_crawler(tmp_path)
    middleware = RobotsMiddleware.from_crawler(crawler)
    entry = robots_entry(body)
    entry.crawl_delay = crawl_delay
    request = Request(URL)
    if expected[0]:
        middleware._decide(request, entry)
        assert request.meta["gleaner_robots"] is entry
    else:
        with pytest.raises(IgnoreRequest, match=expected[4] or expected[3]):
            middleware._decide(request, entry)
    [row] = decision_rows(crawler)
    columns = ("may_fetch", "may_train", "training_signal", "deciding_signal", "outcome")
    assert tuple(row[c] for c in columns) == expected
    assert (row["stage"], row["robots_sha256"]) == ("robots", entry.robots.sha256)
