"""Limits on what a page may be: content types, decompression bombs."""

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest

from crawler.limits import type_allowed
from tests.crawler.conftest import Publisher, crawl, page, text

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
        "SELECT url, evidence, may_train, http_status "
        f"FROM read_parquet('{run}/decisions/*.parquet') WHERE deciding_signal = 'content_type'"
    ).fetchall()
    assert rows == [(publisher.url + "/paper", "Content-Type: application/pdf", False, 200)]
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
        f"SELECT url, deciding_signal, may_train FROM read_parquet('{run}/decisions/*.parquet')"
        " WHERE stage = 'page' AND url LIKE '%/bomb'"
    ).fetchall()
    assert rows == [(publisher.url + "/bomb", "decompression_limit", False)]
