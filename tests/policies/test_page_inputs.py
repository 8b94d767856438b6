"""Header normalisation and HTML meta extraction (the raw page inputs)."""

from __future__ import annotations

from typing import Any

import pytest

from policies._headers import header_values, normalise_headers
from policies._html import MetaTag, meta_tags, scan_meta


@pytest.mark.parametrize(
    ("headers", "expected", "reason"),
    [
        ({"X-Robots-Tag": "noai"}, [("x-robots-tag", "noai")], "mapping"),
        ({"X-Robots-Tag": ["a", "b"]}, [("x-robots-tag", "a"), ("x-robots-tag", "b")], "lists"),
        (
            [("X-Robots-Tag", "a"), ("x-robots-tag", "b")],
            [("x-robots-tag", "a"), ("x-robots-tag", "b")],
            "repeated pairs",
        ),
        ({b"Tdm-Reservation": [b"1"]}, [("tdm-reservation", "1")], "bytes (Scrapy Headers)"),
        (None, [], "none"),
        ("X-Robots-Tag: noai", [], "a string is not headers"),
        ([("only-one",), 3, ("a", 5)], [], "wrong shapes skipped"),
    ],
)
def test_normalise_headers(headers: Any, expected: list[tuple[str, str]], reason: str) -> None:
    assert normalise_headers(headers) == expected, reason


def test_header_values() -> None:
    pairs = normalise_headers([("A", "1"), ("B", "2"), ("a", "3")])
    assert header_values(pairs, "a") == ["1", "3"]


@pytest.mark.parametrize(
    ("html", "expected", "reason"),
    [
        (b'<head><META NAME="Robots" CONTENT="NoAI"></head>', [("robots", "NoAI")], "case"),
        (b"<body><meta name=gleaner content=noindex></body>", [("gleaner", "noindex")], "body"),
        (b"<meta content=x>", [], "no name"),
        (b"<meta name=x>", [], "no content"),
        (b"<!-- <meta name=robots content=noai> -->", [], "comments are not tags"),
        (b"<script>'<meta name=robots content=noai>'</script>", [], "script text is not a tag"),
        ('<meta name="robots" content="café">', [("robots", "café")], "str input"),
        (b"", [], "empty"),
    ],
)
def test_meta_tags(html: bytes | str, expected: list[tuple[str, str]], reason: str) -> None:
    assert meta_tags(html) == expected, reason


def test_meta_charset_is_honoured() -> None:
    html = '<meta charset="iso-8859-1"><meta name="robots" content="café">'.encode("latin-1")
    assert meta_tags(html) == [("robots", "café")]


@pytest.mark.parametrize(
    ("html", "charset", "tags", "problem", "reason"),
    [
        (
            b"<!-- <meta name=robots content=noai> -->",
            None,
            [MetaTag("robots", "noai", hidden=True)],
            None,
            "commented out: found, marked hidden",
        ),
        (
            b"<!--><meta name=robots content=noai>",
            None,
            [MetaTag("robots", "noai")],
            None,
            "<!--> ends the comment at once",
        ),
        (
            b"<!-- x --!><meta name=robots content=noai>",
            None,
            [MetaTag("robots", "noai")],
            None,
            "--!> ends a comment",
        ),
        (
            b"<script>x</script ><meta name=robots content=noai>",
            None,
            [MetaTag("robots", "noai")],
            None,
            "script text ends at </script",
        ),
        (
            b"<div>" * 3000 + b"<meta name=robots content=noai>",
            None,
            [MetaTag("robots", "noai")],
            None,
            "no depth limit",
        ),
        (
            b"<meta/name='robots'/content=no&#97;i>",
            None,
            [MetaTag("robots", "noai")],
            None,
            "slashes between attributes, character references",
        ),
        (
            b"<meta name=robots/content=noai>",
            None,
            [],
            None,
            "an unquoted value runs on over the slash, as in a browser",
        ),
        (
            '<meta name="robots" content="noai">'.encode("utf-16-be"),
            "utf-16be",
            [MetaTag("robots", "noai")],
            None,
            "HTTP charset, not ASCII-compatible",
        ),
        (
            b"<meta name=robots content=noai>",
            "no-such-charset",
            [MetaTag("robots", "noai")],
            "unknown charset 'no-such-charset'",
            "unknown charset: read best effort, flagged",
        ),
        (
            b"<meta charset=utf-8><p>\xff</p>",
            None,
            [],
            "bytes not valid utf-8 at offset 23",
            "invalid in the charset the page declared",
        ),
        (
            b"<meta charset=us-ascii><meta name=robots content='caf\xe9'>",
            None,
            [MetaTag("robots", "caf\u00e9")],
            None,
            "ASCII labels are windows-1252 in HTML, never undecodable",
        ),
    ],
)
def test_scan_meta(
    html: bytes, charset: str | None, tags: list[MetaTag], problem: str | None, reason: str
) -> None:
    scan = scan_meta(html, charset)
    assert (list(scan.tags), scan.problem) == (tags, problem), reason
