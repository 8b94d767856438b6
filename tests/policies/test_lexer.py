"""Line splitting, keys, leniencies, BOM and the 512 KiB cap."""

from __future__ import annotations

import pytest

from policies._lexer import PARSE_LIMIT_BYTES, decode_body, tokenize


def keyed(text: str) -> list[tuple[str, str]]:
    return [(line.key, line.value) for line in tokenize(text)]


@pytest.mark.parametrize(
    ("text", "expected", "reason"),
    [
        ("User-agent: x", [("user-agent", "x")], "plain"),
        ("  DISALLOW  :  /a  ", [("disallow", "/a")], "case and whitespace"),
        ("disallow /a", [("disallow", "/a")], "missing colon, two words"),
        ("disallow /a /b", [], "missing colon, three words: skipped"),
        ("user agent: x", [("user-agent", "x")], "user agent"),
        ("useragent: x", [("user-agent", "x")], "useragent"),
        (
            "dissallow: /a\ndissalow: /b\ndisalow: /c\ndiasllow: /d\ndisallaw: /e",
            [("disallow", v) for v in ("/a", "/b", "/c", "/d", "/e")],
            "misspellings",
        ),
        ("site-map: http://s", [("sitemap", "http://s")], "site-map"),
        (
            "Sitemap: https://a.example/s.xml",
            [("sitemap", "https://a.example/s.xml")],
            "colon in value kept",
        ),
        ("Disallow: /a # comment", [("disallow", "/a")], "trailing comment"),
        ("# only a comment\n\n   \n", [], "comments and blank lines"),
        ("Foo: bar", [("other", "bar")], "unknown key"),
        (": value", [], "empty key"),
        ("Content-Usage: train-ai=n", [("content-usage", "train-ai=n")], "aipref"),
        ("Content-Signal: ai-train=no", [("content-signal", "ai-train=no")], "content signal"),
        ("a: 1\rb: 2\r\nc: 3\nd: 4", [("other", v) for v in "1234"], "CR, CRLF, LF"),
    ],
)
def test_tokenize(text: str, expected: list[tuple[str, str]], reason: str) -> None:
    assert keyed(text) == expected, reason


def test_line_numbers_count_every_line() -> None:
    numbers = [line.number for line in tokenize("a: 1\r\n\rb: 2\n\nc: 3")]
    assert numbers == [1, 3, 5]


@pytest.mark.parametrize(
    ("body", "expected", "truncated"),
    [
        (b"\xef\xbb\xbfa: 1", "a: 1", False),
        (b"\xef\xbba: 1", "a: 1", False),
        (b"a: 1\xef\xbb\xbf", "a: 1\ufeff", False),
        ("a: 1", "a: 1", False),
    ],
)
def test_decode_body(body: bytes | str, expected: str, truncated: bool) -> None:
    assert decode_body(body) == (expected, truncated)


def test_cap_cuts_at_the_last_line_boundary() -> None:
    body = b"x" * (PARSE_LIMIT_BYTES - 3) + b"\nDisallow: /cut\n"
    text, truncated = decode_body(body)
    assert truncated and text.endswith("\n") and "Disallow" not in text


def test_invalid_utf8_survives_as_surrogates() -> None:
    text, _ = decode_body(b"Disallow: /\xe9")
    assert text.encode("utf-8", "surrogateescape") == b"Disallow: /\xe9"
