"""The robots middleware, judged by what the publisher's own server saw."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import duckdb
import pytest
from scrapy.http import Request

from crawler.errors import SettingError
from crawler.robots import authority_key
from tests.crawler.conftest import Publisher, Route, crawl, page, text

ARTICLES: dict[str, Route] = {
    "/": page("Home", "/a", "/private/secret"),
    "/a": page("A", "/b"),
    "/b": page("B", "/"),
    "/private/secret": page("Secret"),
    "/real-robots.txt": text("User-agent: *\nDisallow: /\n"),
}


def decisions(run: Path) -> list[tuple[str, str, bool]]:
    sql = f"SELECT stage, url, may_fetch FROM read_parquet('{run}/decisions/*.parquet')"
    return duckdb.sql(sql).fetchall()


@pytest.mark.parametrize(
    ("robots", "fetched", "never"),
    [
        (text("User-agent: *\nDisallow: /private/\n"), {"/", "/a", "/b"}, {"/private/secret"}),
        (text("User-agent: Gleaner\nDisallow: /\nUser-agent: *\nAllow: /\n"), set(), {"/", "/a"}),
        (text("Service Unavailable", 503), set(), {"/", "/a"}),
        (text("Too Many Requests", 429), set(), {"/", "/a"}),
        (text("Forbidden", 403), set(), {"/", "/a"}),
        (text("Not found", 404), {"/", "/a", "/b", "/private/secret"}, set()),
        (text("", 301, Location="{base}/real-robots.txt"), set(), {"/", "/a"}),
        (text("", 302, Location="{base}/robots.txt"), {"/", "/a"}, set()),  # loop: unavailable
    ],
    ids=["disallow-path", "own-group", "503", "429", "403", "404", "redirect", "redirect-loop"],
)
def test_only_what_robots_txt_allows_is_requested(
    tmp_path: Path, publisher: Publisher, robots: Route, fetched: set[str], never: set[str]
) -> None:
    publisher.routes = {**ARTICLES, "/robots.txt": robots}
    run = crawl(tmp_path, publisher.url + "/")
    requested = set(publisher.paths())
    assert fetched <= requested
    assert not (never & requested)
    assert publisher.paths()[0] == "/robots.txt"  # robots.txt before anything else
    refused = {url for stage, url, ok in decisions(run) if stage == "robots" and not ok}
    assert {publisher.url + p for p in never} <= refused | {publisher.url + "/a"}


def test_requests_identify_us_and_keep_a_second_apart(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {**ARTICLES, "/robots.txt": text("User-agent: *\nAllow: /\n")}
    crawl(tmp_path, publisher.url + "/")
    times = [t for t, _, path in publisher.log if not path.startswith(("/robots", "/.well"))]
    assert len(times) >= 3
    # The publisher stamps a request before answering it and the crawler counts the delay
    # from when the answer began (crawler.pacing): the stamps are at least a second apart;
    # 1 ms covers time.time() resolution and clock slewing.
    assert min(b - a for a, b in pairwise(times)) >= 1.0 - 0.001
    assert all("Gleaner" in ua and "http" in ua for _, ua, _ in publisher.log)


def test_crawl_delay_slows_the_host(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {**ARTICLES, "/robots.txt": text("User-agent: *\nCrawl-delay: 2\n")}
    crawl(tmp_path, publisher.url + "/")
    times = [t for t, _, path in publisher.log if path in ("/", "/a", "/b")]
    assert len(times) == 3
    assert min(b - a for a, b in pairwise(times)) >= 2.0 - 0.001  # as above


SPLIT_BY_UNKNOWN = text("User-agent: Gleaner\nHost-load: 2\nUser-agent: *\nDisallow: /\n")


@pytest.mark.parametrize(
    ("backend", "fetched"),
    [("gleaner", False), ("protego", True)],  # Protego splits the group at the unknown line
)
def test_legacy_backend_is_selectable_for_the_fetch_question(
    tmp_path: Path, publisher: Publisher, backend: str, fetched: bool
) -> None:
    publisher.routes = {**ARTICLES, "/robots.txt": SPLIT_BY_UNKNOWN}
    run = crawl(tmp_path, publisher.url + "/", settings=(f"ROBOTS_BACKEND={backend}",))
    assert ("/" in publisher.paths()) is fetched
    rows = duckdb.sql(
        f"SELECT may_fetch, rule FROM read_parquet('{run}/decisions/*.parquet') "
        f"WHERE stage = 'robots' AND url = '{publisher.url}/'"
    ).fetchall()
    assert rows[0][0] is fetched


def test_an_unknown_backend_stops_the_crawl_at_startup() -> None:
    from crawler.robots import _backend

    with pytest.raises(SettingError, match=r"ROBOTS_BACKEND \('nope'\)"):
        _backend("nope")


def test_a_robots_txt_that_times_out_means_nothing_is_fetched(
    tmp_path: Path, publisher: Publisher
) -> None:
    publisher.routes = {**ARTICLES, "/robots.txt": text("User-agent: *\nAllow: /\n")}
    publisher.sleeps = {"/robots.txt": 3.0}
    run = crawl(tmp_path, publisher.url + "/", settings=("DOWNLOAD_TIMEOUT=1",))
    assert set(publisher.paths()) == {"/robots.txt"}
    outcomes = duckdb.sql(f"SELECT outcome FROM read_parquet('{run}/robots/*.parquet')").fetchall()
    assert outcomes == [("disallow-all",)]


def test_a_robots_txt_redirected_across_hosts_applies_to_the_first_host(
    tmp_path: Path, publisher: Publisher
) -> None:
    other = Publisher(routes={"/robots.txt": text("User-agent: *\nDisallow: /private/\n")})
    other.start()
    try:
        location = other.url + "/robots.txt"
        publisher.routes = {**ARTICLES, "/robots.txt": text("", 301, Location=location)}
        crawl(tmp_path, publisher.url + "/")
    finally:
        other.stop()
    assert other.paths() == ["/robots.txt"]
    assert {"/", "/a"} <= set(publisher.paths())
    assert "/private/secret" not in publisher.paths()


def test_a_2_mb_robots_txt_is_read_up_to_the_parse_cap(
    tmp_path: Path, publisher: Publisher
) -> None:
    filler = "# " + "x" * 78 + "\n"
    body = "User-agent: *\nDisallow: /private/\n" + filler * 26_000 + "Disallow: /a\n"
    assert len(body) > 2_000_000
    publisher.routes = {**ARTICLES, "/robots.txt": text(body)}
    crawl(tmp_path, publisher.url + "/")
    requested = set(publisher.paths())
    assert "/a" in requested, "a rule past 512 KiB is not read"
    assert "/private/secret" not in requested


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://127.0.0.1:8000/a", "http://127.0.0.1:8000"),
        ("http://127.0.0.1.:8000/a", "http://127.0.0.1:8000"),
        ("http://Example.COM.:80/a?b", "http://example.com"),
        ("https://example.com:443/", "https://example.com"),
        ("https://example.com:80/", "https://example.com:80"),
        ("http://user@example.com/", "http://example.com"),
        ("http://bücher.example/", "http://xn--bcher-kva.example"),
    ],
)
def test_one_robots_txt_entry_per_canonical_authority(url: str, key: str) -> None:
    assert authority_key(Request(url)) == key
