"""URL hygiene: seen-set keys, host keys and trap checks, as tables."""

from __future__ import annotations

import pytest

from crawler.urls import host_key, seen_key, shape, trap_reason


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://h/a?b=1&a=2", "http://h/a?a=2&b=1"),
        ("http://H/a#top", "http://h/a"),
        ("http://h/a?PHPSESSID=abc&x=1", "http://h/a?x=1"),
        ("http://h/a;jsessionid=XYZ?x=1", "http://h/a?x=1"),
        ("http://h/%7euser", "http://h/~user"),
        ("http://h/caf%c3%a9", "http://h/caf%C3%A9"),
        ("http://h.:80/a", "http://h/a"),
        ("https://H:443/a", "https://h/a"),
    ],
)
def test_one_page_one_seen_key(a: str, b: str) -> None:
    assert seen_key(a) == seen_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://h/a?x=1", "http://h/a?x=2"),
        ("http://h/a", "https://h/a"),
        ("http://h/a", "http://h/A"),
        ("http://h:8080/a", "http://h/a"),
        ("http://u@h/a", "http://h/a"),
    ],
)
def test_different_pages_keep_different_keys(a: str, b: str) -> None:
    assert seen_key(a) != seen_key(b)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://h/a/b/c", None),
        ("http://h/" + "x" * 3000, "url_too_long"),
        ("http://h/a/b/a/b/a/b", "repeated_path_segment"),
        ("http://h/news/news/story", None),  # twice is common enough
    ],
)
def test_trap_reason(url: str, why: str | None) -> None:
    assert trap_reason(url, max_length=2048) == why


def test_calendar_pages_share_a_shape() -> None:
    assert shape("http://h/cal/2031/04?view=m") == shape("http://h/cal/2032/11?view=w")
    assert shape("http://h/cal/2031/04") != shape("http://h/blog/2031/04")


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://example.com/a", "example.com"),
        ("http://Example.COM.:80/a", "example.com"),
        ("https://example.com:443/a", "example.com"),
        ("http://example.com:8080/a", "example.com:8080"),
        ("http://user:pw@example.com/a", "example.com"),
        ("http://127.0.0.1.:8000/", "127.0.0.1:8000"),
        ("http://bücher.example/", "xn--bcher-kva.example"),
        ("http://[::1]:8000/", "[::1]:8000"),
    ],
)
def test_host_key_is_the_canonical_host_and_port(url: str, key: str) -> None:
    assert host_key(url) == key
