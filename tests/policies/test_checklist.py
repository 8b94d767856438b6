"""OPTOUT-SIGNALS.md §8, the edge-case checklist, item by item (items 6, 7 and 17 are the
crawler's: redirects, TTL and provenance storage live outside ``policies``)."""

from __future__ import annotations

from typing import Any

import pytest

from policies import RobotsTxt, TdmRepFile, evaluate
from policies.aipref import parse_usage

URL = "https://a.example/page"


def train_signal(robots: bytes = b"", **kwargs: Any) -> str:
    verdict = evaluate(
        URL,
        crawl_agent="ExampleBot",
        training_agent="ExampleBot-Extended",
        robots=RobotsTxt.parse(robots),
        **kwargs,
    )
    return verdict.training_signal


@pytest.mark.parametrize(
    ("item", "robots", "signal"),
    [
        (1, b"User-agent: ExampleBot\nAllow: /\n\nUser-agent: *\nDisallow: /\n", "disallowed"),
        (2, b"User-agent: ExampleBot-Ext\nDisallow: /\n", "unknown"),
        (2, b"User-agent: Extended\nDisallow: /\n", "unknown"),
        (2, b"User-agent: examplebot-EXTENDED\nDisallow: /page\n", "disallowed"),
        (
            3,
            b"User-agent: ExampleBot-Extended\nSitemap: s\nUser-agent: Other\nDisallow: /\n",
            "disallowed",
        ),
    ],
)
def test_items_1_to_3_training_token_groups(item: int, robots: bytes, signal: str) -> None:
    assert train_signal(robots) == signal, f"§8 item {item}"


@pytest.mark.parametrize(
    ("item", "status", "allowed"),
    [
        (4, 503, False),
        (4, 500, False),
        (5, 404, True),
        (5, 401, False),
        (5, 403, False),
        (5, 429, False),
    ],
)
def test_items_4_5_status(item: int, status: int, allowed: bool) -> None:
    robots = RobotsTxt.parse(b"User-agent: *\nAllow: /\n", status)
    assert robots.can_fetch(URL, "ExampleBot") is allowed, f"§8 item {item}"


@pytest.mark.parametrize(
    ("item", "rule", "url", "allowed"),
    [
        (8, "/caf%C3%A9", "https://a.example/café", False),
        (8, "/%7Euser", "https://a.example/~user", False),
        (8, "/a%2Fb", "https://a.example/a/b", True),
        (9, "/a$b", "https://a.example/a$b", False),
        (9, "/a%2A", "https://a.example/aX", True),
        (10, "/same", "https://a.example/same", True),
    ],
)
def test_items_8_to_10_matching(item: int, rule: str, url: str, allowed: bool) -> None:
    body = f"User-agent: *\nDisallow: {rule}\nAllow: /same\n"
    assert RobotsTxt.parse(body).can_fetch(url, "ExampleBot") is allowed, f"§8 item {item}"


def test_item_10_content_usage_ties_are_restrictive() -> None:
    robots = b"User-agent: *\nContent-Usage: /p train-ai=y\nContent-Usage: /p train-ai=n\n"
    assert train_signal(robots) == "disallowed"


def test_items_11_12_tdmrep() -> None:
    first = TdmRepFile.parse(
        b'[{"location": "/", "tdm-reservation": 0}, {"location": "/page", "tdm-reservation": 1}]'
    )
    assert first.reservation_for(URL) == (0, None), "§8 item 11"
    assert train_signal(tdmrep=first, headers={"tdm-reservation": "bogus"}) == "allowed", "item 12"


def test_item_13_aipref() -> None:
    assert parse_usage("Train-AI=n") is None
    assert parse_usage('train-ai="n"') == {}
    assert parse_usage("train-ai=n, train-ai=y") == {"train-ai": True}
    assert parse_usage("future-label=n") == {}


def test_item_14_union_of_negatives() -> None:
    verdict = evaluate(
        URL,
        crawl_agent="ExampleBot",
        robots=RobotsTxt.parse(b""),
        headers={"X-Robots-Tag": ["robots: nofollow", "examplebot: noindex"]},
        html=b'<meta name="otherbot" content="noai">',
    )
    assert not verdict.may_index and verdict.training_signal == "unknown"


def test_item_15_signals_inside_disallowed_pages_are_ignored() -> None:
    verdict = evaluate(
        URL,
        crawl_agent="ExampleBot",
        robots=RobotsTxt.parse(b"User-agent: *\nDisallow: /\n"),
        headers={"tdm-reservation": "0"},
    )
    assert "tdmrep" not in verdict.signals_seen and not verdict.may_train


def test_item_16_content_usage_ends_a_group_only_under_attach05() -> None:
    robots = b"User-agent: ExampleBot\nContent-Usage: train-ai=n\nUser-agent: B\nDisallow: /\n"
    verdict = evaluate(URL, crawl_agent="ExampleBot", robots=RobotsTxt.parse(robots))
    assert not verdict.may_fetch
