"""The policy gate in-process: a response in, one ``page`` row and one stats key out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from scrapy.http import HtmlResponse, Request

from crawler.gate import PolicyGateMiddleware
from record import DECISION_SCHEMA
from tests.crawler.inprocess import decision_rows, project_crawler, robots_entry

URL = "http://127.0.0.1:8000/a"
OPEN = b"User-agent: *\nAllow: /\n"
NO_TRAINING = OPEN + b"\nUser-agent: Gleaner-Extended\nDisallow: /\n"
PAGE = b"<html><head><title>A</title>{meta}</head><body><p>Words.</p></body></html>"


def respond(
    robots: bytes, status: int = 200, meta: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[Request, HtmlResponse]:
    known = {"gleaner_known": {"etag": '"a"'}} if status == 304 else {}
    request = Request(URL, meta={"gleaner_robots": robots_entry(robots), **known})
    body = b"" if status == 304 else PAGE.replace(b"{meta}", meta)
    return request, HtmlResponse(
        URL, status=status, headers=headers, body=body, encoding="utf-8", request=request
    )


@pytest.mark.parametrize(
    ("robots", "status", "meta", "headers", "expected", "stat"),
    [
        # expected: (may_train, training_signal, deciding_signal, outcome)
        (OPEN, 200, b"", None, (True, "unknown", None, None), "may_train"),
        (
            OPEN,
            200,
            b'<meta name="robots" content="noai">',
            None,
            (False, "disallowed", "meta_robots", None),
            "opt_out/meta_robots",
        ),
        (
            NO_TRAINING,
            200,
            b"",
            None,
            (False, "disallowed", "robots_training_token", None),
            "opt_out/robots_training_token",
        ),
        # A 304 is an outcome, not an opt-out, unless the publisher refuses now.
        (OPEN, 304, b"", None, (None, "unknown", None, "not_modified"), "outcome/not_modified"),
        (
            NO_TRAINING,
            304,
            b"",
            None,
            (False, "disallowed", "robots_training_token", "not_modified"),
            "opt_out/robots_training_token",
        ),
        (
            OPEN,
            304,
            b"",
            {"X-Robots-Tag": "noai"},
            (False, "disallowed", "x_robots_tag", "not_modified"),
            "opt_out/x_robots_tag",
        ),
    ],
    ids=["open", "noai meta", "training token", "304", "304 new disallow", "304 noai header"],
)
def test_each_response_gets_one_page_row_and_one_counter(
    tmp_path: Path,
    robots: bytes,
    status: int,
    meta: bytes,
    headers: dict[str, str] | None,
    expected: tuple[Any, ...],
    stat: str,
) -> None:
    crawler = project_crawler(tmp_path)
    gate = PolicyGateMiddleware.from_crawler(crawler)
    request, response = respond(robots, status, meta, headers)
    assert gate.process_response(request, response) is response
    [row] = decision_rows(crawler)
    columns = ("may_train", "training_signal", "deciding_signal", "outcome")
    assert tuple(row[c] for c in columns) == expected
    assert (row["url"], row["stage"], row["http_status"]) == (URL, "page", status)
    assert (row["crawl_token"], row["training_token"]) == ("Gleaner", "Gleaner-Extended")
    assert row["robots_sha256"] == request.meta["gleaner_robots"].robots.sha256
    assert crawler.stats.get_value(f"policy/page/{stat}") == 1


def test_a_well_known_file_is_left_to_its_fetcher(tmp_path: Path) -> None:
    crawler = project_crawler(tmp_path)
    request = Request("http://127.0.0.1:8000/robots.txt", meta={"gleaner_wellknown": True})
    response = HtmlResponse(request.url, body=b"", request=request)
    PolicyGateMiddleware.from_crawler(crawler).process_response(request, response)
    assert decision_rows(crawler) == []


def test_the_rows_are_written_with_the_declared_schema(tmp_path: Path) -> None:
    crawler = project_crawler(tmp_path)
    PolicyGateMiddleware.from_crawler(crawler).process_response(*respond(OPEN))
    decision_rows(crawler)
    [part] = (tmp_path / "decisions").glob("part-*.parquet")
    assert pq.read_schema(part).equals(DECISION_SCHEMA)
