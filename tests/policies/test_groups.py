"""Grouping (RFC 9309 §2.1, §2.2.4) under both readings, and product-token extraction."""

from __future__ import annotations

import pytest

from policies._groups import build_groups, product_token
from policies._lexer import tokenize


@pytest.mark.parametrize(
    ("value", "token", "reason"),
    [
        ("Googlebot", "googlebot", "lower-cased"),
        ("googlebot/1.2", "googlebot", "version dropped"),
        ("Foo Bar", "foo", "up to the first space"),
        ("Applebot-Extended", "applebot-extended", "hyphen kept"),
        ("Foo_Bar", "foo_bar", "underscore kept"),
        ("*", "*", "global"),
        ("* # all", "*", "global then space"),
        ("*bot", "", "star glued to text is not global"),
        ("ツbot", "", "non-ASCII start"),
        ("  Gleaner  ", "gleaner", "whitespace"),
        ("", "", "empty"),
    ],
)
def test_product_token(value: str, token: str, reason: str) -> None:
    assert product_token(value) == token, reason


def agents(text: str, *, usage_is_rule: bool = False) -> list[list[str]]:
    return [g.agents for g in build_groups(tokenize(text), usage_is_rule=usage_is_rule)]


@pytest.mark.parametrize(
    ("text", "expected", "reason"),
    [
        ("User-agent: a\nUser-agent: b\nDisallow: /\n", [["a", "b"]], "consecutive"),
        ("User-agent: a\n\n\nUser-agent: b\nDisallow: /\n", [["a", "b"]], "blank lines"),
        ("User-agent: a\nDisallow: /\nUser-agent: b\n", [["a"], ["b"]], "a rule closes"),
        ("User-agent: a\nSitemap: s\nUser-agent: b\n", [["a", "b"]], "sitemap"),
        ("User-agent: a\nCrawl-delay: 1\nUser-agent: b\n", [["a", "b"]], "crawl-delay"),
        ("User-agent: a\nFoo: x\nUser-agent: b\n", [["a", "b"]], "unknown"),
        ("User-agent: a\nDisallow:\nUser-agent: b\n", [["a"], ["b"]], "empty rule still a rule"),
        ("Disallow: /\nUser-agent: a\n", [["a"]], "rules before any group dropped"),
        (
            "User-agent: a\nContent-Usage: train-ai=n\nUser-agent: b\n",
            [["a", "b"]],
            "RFC reading: Content-Usage is an other record",
        ),
    ],
)
def test_rfc_grouping(text: str, expected: list[list[str]], reason: str) -> None:
    assert agents(text) == expected, reason


def test_attach05_grouping_splits_at_content_usage() -> None:
    text = "User-agent: a\nContent-Usage: train-ai=n\nUser-agent: b\nDisallow: /\n"
    assert agents(text, usage_is_rule=True) == [["a"], ["b"]]


def test_rules_before_first_group_are_dropped() -> None:
    (group,) = build_groups(
        tokenize("Disallow: /x\nUser-agent: a\nDisallow: /y\n"), usage_is_rule=False
    )
    assert [line.value for line in group.rules] == ["/y"]
