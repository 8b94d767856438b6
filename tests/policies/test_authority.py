"""The canonical authority: one robots.txt scope whatever the URL's spelling."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies.authority import authority, canonical_host


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://example.com/page", "http://example.com"),
        ("http://EXAMPLE.com:80/robots.txt", "http://example.com"),
        ("https://example.com:443/", "https://example.com"),
        ("https://example.com:80/", "https://example.com:80"),
        ("http://example.com:8080/x", "http://example.com:8080"),
        ("http://example.com./x", "http://example.com"),
        ("http://example.com.:80/x", "http://example.com"),
        ("HTTP://user:pw@Example.COM/x", "http://example.com"),
        ("http://bücher.example/x", "http://xn--bcher-kva.example"),
        ("http://[::1]:8000/x", "http://[::1]:8000"),
        ("http://[::1]:80/x", "http://[::1]"),
        ("http://127.0.0.1:8000/robots.txt", "http://127.0.0.1:8000"),
        ("http://example.com:bad/x", "http://example.com:bad"),
    ],
)
def test_authority(url: str, expected: str) -> None:
    assert authority(url) == expected


def test_same_publisher_same_key() -> None:
    spellings = ["http://host/", "http://HOST:80/a", "http://host.:80/b?q", "http://host./"]
    assert {authority(u) for u in spellings} == {"http://host"}


def test_scheme_and_port_still_separate() -> None:
    keys = {authority(u) for u in ("http://a/", "https://a/", "https://a:8443/", "https://b.a/")}
    assert len(keys) == 4


@pytest.mark.parametrize(
    ("host", "expected"), [("A.B.", "a.b"), ("a..", "a"), ("ä.example", "xn--4ca.example")]
)
def test_canonical_host(host: str, expected: str) -> None:
    assert canonical_host(host) == expected


@given(st.text(max_size=60))
def test_never_raises_and_is_idempotent_on_its_output(text: str) -> None:
    key = authority(f"http://{text}/")
    assert key.startswith("http://")
    assert authority(key + "/x") == key or ":" in key.removeprefix("http://")
