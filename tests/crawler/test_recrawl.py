"""Recrawls: a second run of a job revisits what the first found, with conditional GETs."""

from __future__ import annotations

from pathlib import Path

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
