"""--host and --domain: what names a publisher, and which values match it."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.audit import Publisher
from pipeline.errors import ConfigError


@pytest.mark.parametrize(
    ("given", "key"),
    [
        ("news.example", "news.example"),
        ("News.Example.", "news.example"),
        ("news.example:80", "news.example"),
        ("news.example:443", "news.example"),
        ("http://news.example:80/a/b", "news.example"),
        ("https://news.example:8443/", "news.example:8443"),
        ("127.0.0.1:8001", "127.0.0.1:8001"),
        ("[::1]:8080", "[::1]:8080"),
    ],
)
def test_a_host_is_its_canonical_authority_without_the_scheme(given: str, key: str) -> None:
    assert Publisher.host(given).value == key


@pytest.mark.parametrize("given", ["", "news.example/a", "a b", ":80", "user@news.example"])
def test_a_host_that_names_no_host_is_refused(given: str) -> None:
    with pytest.raises(ConfigError, match="--host"):
        Publisher.host(given)


@pytest.mark.parametrize("given", ["", "a/b", "news.example:80"])
def test_a_domain_that_is_no_name_is_refused(given: str) -> None:
    with pytest.raises(ConfigError, match="--domain"):
        Publisher.domain(given)


def matches(sql: str, column: str, value: str) -> bool:
    [(answer,)] = duckdb.sql(f"SELECT {sql} FROM (SELECT '{value}' AS {column})").fetchall()
    return bool(answer)


@pytest.mark.parametrize(
    ("who", "url", "expected"),
    [
        (Publisher.host("news.example"), "http://news.example/a", True),
        (Publisher.host("news.example"), "https://NEWS.example:443/a", True),
        (Publisher.host("news.example"), "http://news.example.evil/a", False),
        (Publisher.host("news.example"), "http://sub.news.example/a", False),
        (Publisher.host("news.example:8080"), "http://news.example:8080", True),
        (Publisher.host("news.example:8080"), "http://news.example/", False),
        (Publisher.domain("news.example"), "http://sub.news.example:81/a", True),
        (Publisher.domain("news.example"), "http://evil.example/news.example/", False),
        (Publisher.domain("news.example"), "http://othernews.example/", False),
    ],
)
def test_urls_of_the_publisher_match_and_others_do_not(
    who: Publisher, url: str, expected: bool
) -> None:
    assert matches(who.url_condition("url"), "url", url) is expected


@pytest.mark.parametrize(
    ("who", "host", "expected"),
    [
        (Publisher.host("news.example"), "news.example", True),
        (Publisher.host("news.example"), "news.example:443", True),
        (Publisher.host("news.example"), "news.example:8080", False),
        (Publisher.host("news.example:8080"), "news.example:8080", True),
        (Publisher.host("[::1]"), "[::1]:80", True),
        (Publisher.domain("news.example"), "news.example", True),
        (Publisher.domain("news.example"), "sub.news.example:81", True),
        (Publisher.domain("news.example"), "othernews.example", False),
        (Publisher.domain("news.example"), "news.example.evil", False),
        (Publisher.domain("a_b.example"), "axb.example", False),
    ],
)
def test_host_columns_of_the_publisher_match_and_others_do_not(
    who: Publisher, host: str, expected: bool
) -> None:
    assert matches(who.host_condition("host"), "host", host) is expected
