"""Limits on what a page may be: content types, decompression bombs."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import Headers, Request, Response

from crawler.limits import ContentTypeMiddleware, type_allowed
from tests.crawler.conftest import Publisher, crawl, page, text
from tests.crawler.inprocess import decision_rows, project_crawler, robots_entry

ROBOTS = text("User-agent: *\nAllow: /\n")


@pytest.mark.parametrize(
    ("content_type", "allowed", "expected"),
    [
        ("text/html; charset=utf-8", ("text/html",), True),
        ("TEXT/HTML", ("text/html",), True),
        ("application/pdf", ("text/html",), False),
        ("text/plain", ("text/*",), True),
        ("", ("text/html",), True),  # no type: Scrapy sniffs
    ],
)
def test_type_allowed(content_type: str, allowed: tuple[str, ...], expected: bool) -> None:
    assert type_allowed(content_type, allowed) is expected


def test_other_types_are_aborted_and_logged(tmp_path: Path, publisher: Publisher) -> None:
    big = b"%PDF-1.7\n" + b"0" * 500_000
    publisher.routes = {
        "/robots.txt": ROBOTS,
        "/": page("Home", "/paper", "/missing"),
        "/paper": (200, {"Content-Type": "application/pdf"}, big),
        "/missing": text("gone", 404),
    }
    run = crawl(tmp_path, publisher.url + "/")
    assert {"/", "/paper", "/missing"} <= set(publisher.paths())
    rows = duckdb.sql(
        "SELECT url, evidence, may_train, training_signal, deciding_signal, http_status "
        f"FROM read_parquet('{run}/decisions/*.parquet') WHERE outcome = 'content_type'"
    ).fetchall()
    # An outcome, not an opt-out: no training answer, and robots.txt said nothing of it.
    paper = publisher.url + "/paper"
    assert rows == [(paper, "Content-Type: application/pdf", None, "unknown", None, 200)]
    warcs = b"".join(gzip.decompress(p.read_bytes()) for p in (run / "warc").glob("*.warc.gz"))
    assert b"%PDF" not in warcs  # stopped after the headers: the body was never kept


def test_a_decompression_bomb_is_dropped(tmp_path: Path, publisher: Publisher) -> None:
    bomb = gzip.compress(b"<html>" + b" " * (64 * 1024 * 1024), compresslevel=9)
    publisher.routes = {
        "/robots.txt": ROBOTS,
        "/": page("Home", "/bomb", "/after"),
        "/bomb": (200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb),
        "/after": page("After"),
    }
    run = crawl(tmp_path, publisher.url + "/")  # DOWNLOAD_MAXSIZE: 1 MiB, decompressed too
    assert len(bomb) < 100_000
    assert {"/bomb", "/after"} <= set(publisher.paths())
    pages = duckdb.sql(
        f"SELECT url FROM read_parquet('{run}/decisions/*.parquet') WHERE stage = 'page'"
    ).fetchall()
    assert (publisher.url + "/after",) in pages
    rows = duckdb.sql(
        f"SELECT url, outcome, may_train FROM read_parquet('{run}/decisions/*.parquet')"
        " WHERE stage = 'page' AND url LIKE '%/bomb'"
    ).fetchall()
    assert rows == [(publisher.url + "/bomb", "decompression_limit", None)]


def test_a_refused_type_is_an_outcome_row_in_process(tmp_path: Path) -> None:
    crawler = project_crawler(tmp_path, GUARD_CONTENT_TYPES=["text/html"])
    middleware = ContentTypeMiddleware.from_crawler(crawler)
    entry = robots_entry(b"User-agent: *\nAllow: /\n")
    request = Request("http://127.0.0.1:8000/paper", meta={"gleaner_robots": entry})
    headers = Headers({"Content-Type": "application/pdf"})
    with pytest.raises(StopDownload) as stopped:
        middleware.headers_received(headers, request)
    # The download handler hands the headers-only answer on with the exception.
    stopped.value.response = Response(request.url, status=200, headers=headers, request=request)
    with pytest.raises(IgnoreRequest):
        middleware.process_exception(request, stopped.value)
    [row] = decision_rows(crawler)
    got = {k: row[k] for k in ("stage", "may_fetch", "may_index", "may_train", "outcome")}
    assert got == {
        "stage": "page",
        "may_fetch": True,
        "may_index": False,
        "may_train": None,
        "outcome": "content_type",
    }
    assert (row["training_signal"], row["deciding_signal"]) == ("unknown", None)
    assert (row["rule"], row["evidence"]) == (
        "[limits] content_types (GUARD_CONTENT_TYPES)",
        "Content-Type: application/pdf",
    )
    assert row["robots_sha256"] == entry.robots.sha256
    assert crawler.stats.get_value("guard/content_type/refused") == 1
