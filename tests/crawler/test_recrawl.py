"""Recrawls: a second run of a job revisits what the first found, with conditional GETs."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import Request

from crawler.known import Known, known_base, open_known
from crawler.recrawl import VALIDATORS, ConditionalGetMiddleware
from crawler.urls import seen_key
from tests.crawler.conftest import Publisher, Route, crawl, page, text
from tests.crawler.test_warc import records


def tagged(route: Route, etag: str) -> Route:
    status, headers, body = route
    return status, {**headers, "ETag": etag}, body


def test_a_second_run_revisits_with_conditional_gets(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {
        "/robots.txt": text("User-agent: *\n"),
        "/": tagged(page("Home", "/a"), '"home-1"'),
        "/a": tagged(page("A"), '"a-1"'),
    }
    first = crawl(tmp_path, publisher.url + "/")
    publisher.routes["/a"] = tagged(page("A, edited", "/new"), '"a-2"')
    publisher.routes["/new"] = page("New")
    second = crawl(tmp_path)  # the same job file again
    assert first != second
    assert publisher.paths().count("/robots.txt") == 2  # robots.txt re-checked
    assert publisher.paths().count("/new") == 1  # found on the changed page
    old = {url: h for kind, url, h, _ in records(first) if kind == "response"}
    new = {url: (kind, h) for kind, url, h, _ in records(second) if kind in ("response", "revisit")}
    kind, headers = new[publisher.url + "/"]
    assert kind == "revisit"
    assert headers["WARC-Refers-To"] == old[publisher.url + "/"]["WARC-Record-ID"]
    assert headers["WARC-Profile"].endswith("/revisit/server-not-modified")
    assert new[publisher.url + "/a"][0] == "response"


def conditional_headers(run: Path, request: Request) -> dict[bytes, bytes]:
    middleware = ConditionalGetMiddleware(open_known(run, None), known_base(run))
    middleware.process_request(request)
    return {
        k: request.headers[k]
        for k in (b"If-None-Match", b"If-Modified-Since")
        if k in request.headers
    }


@pytest.mark.parametrize(
    ("url", "meta", "expected"),
    [
        # validators carried with the request (the known URL queued by the seeding)
        (
            "http://h/a",
            {
                VALIDATORS: {
                    "etag": '"x"',
                    "last_modified": None,
                    "record_id": "<r>",
                    "record_date": None,
                }
            },
            {b"If-None-Match": b'"x"'},
        ),
        # a link to a known URL queued before the known URLs: found in the run's base
        (
            "http://h/a",
            {},
            {b"If-None-Match": b'"a-1"', b"If-Modified-Since": b"Mon, 01 Jan 2026 00:00:00 GMT"},
        ),
        ("http://h/new", {}, {}),  # never known
        ("http://h/taken", {}, {}),  # known, never captured: nothing to compare against
    ],
)
def test_a_known_page_is_asked_for_conditionally_however_it_was_queued(
    tmp_path: Path, url: str, meta: dict[str, object], expected: dict[bytes, bytes]
) -> None:
    earlier = open_known(tmp_path / "t" / "20261201T030000Z", "w001")
    earlier.add(seen_key("http://h/taken"), "http://h/taken", 1, "page")
    a = Known(
        "http://h/a",
        1,
        "page",
        '"a-1"',
        "Mon, 01 Jan 2026 00:00:00 GMT",
        "<urn:a>",
        "2026-12-01T03:00:00Z",
    )
    earlier.captured(seen_key(a.url), a)
    earlier.close()
    request = Request(url, meta={"gleaner_key": seen_key(url), **meta})
    assert conditional_headers(tmp_path / "t" / "20261202T030000Z", request) == expected
