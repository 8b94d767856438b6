"""Decision-log rows: what each stage's columns say, for real robots.txt files."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policies
from crawler.decisions import decision_row, revisit_verdict
from crawler.robots import RobotsEntry

URL = "http://example.com/public/page"
OPEN = b"User-agent: *\nAllow: /\n"


def entry(body: bytes, status: int = 200) -> RobotsEntry:
    robots = policies.RobotsTxt.parse(body, status=status)
    return RobotsEntry(robots=robots, fetched_at=datetime.now(UTC), expires=0.0)


def evaluate(known: RobotsEntry, headers: list[tuple[str, str]] | None = None) -> policies.Verdict:
    """As the crawler asks: both tokens, this entry, and (after a 304) its headers."""
    return policies.evaluate(
        URL,
        crawl_agent="Gleaner",
        training_agent="Gleaner-Extended",
        robots=known.robots,
        headers=headers,
    )


def robots_row(body: bytes, status: int = 200) -> dict[str, Any]:
    known = entry(body, status)
    return decision_row(URL, "robots", evaluate(known), "Gleaner", "Gleaner-Extended", known, None)


def revisit_row(body: bytes, headers: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    known = entry(body)
    verdict = revisit_verdict(evaluate(known, headers))
    return decision_row(URL, "page", verdict, "Gleaner", "Gleaner-Extended", known, 304)


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        # (may_fetch, may_index, may_train, training_signal, deciding_signal)
        (b"", 200, (True, None, True, "unknown", None)),
        (b"", 404, (True, None, True, "unknown", None)),
        (b"", 503, (False, False, False, "unknown", "robots")),
        (b"User-agent: *\nDisallow: /\n", 200, (False, False, False, "disallowed", "robots")),
        (
            b"User-agent: Gleaner-Extended\nDisallow: /\n",
            200,
            (True, None, False, "disallowed", "robots_training_token"),
        ),
        (
            b"User-agent: Gleaner-Extended\nDisallow: /private/\n",
            200,
            (True, None, True, "unknown", None),
        ),
        (
            b"User-agent: Gleaner\nDisallow: /\n\nUser-agent: Gleaner-Extended\nAllow: /\n",
            200,
            (False, False, False, "unknown", "robots"),
        ),
        (
            OPEN + b"\nUser-agent: CCBot\nDisallow: /\n",
            200,
            (True, None, False, "disallowed", "proxy_training_token"),
        ),
        (
            OPEN + b"Content-Usage: train-ai=n\n",
            200,
            (True, None, False, "disallowed", "content_usage"),
        ),
        (
            OPEN + b"Content-Usage: train-ai=y\n",
            200,
            (True, None, True, "allowed", "content_usage"),
        ),
        (
            OPEN + b"Content-Signal: search=yes, ai-train=no\n",
            200,
            (True, None, False, "disallowed", "content_signal"),
        ),
    ],
)
def test_the_robots_row_answers_for_both_tokens(
    body: bytes, status: int, expected: tuple[Any, ...]
) -> None:
    row = robots_row(body, status)
    got = tuple(
        row[k]
        for k in ("may_fetch", "may_index", "may_train", "training_signal", "deciding_signal")
    )
    assert got == expected


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        # (training_signal, deciding_signal) of the 304's page row
        (OPEN, [], ("unknown", "not_modified")),
        (
            b"User-agent: Gleaner-Extended\nDisallow: /\n",
            [],
            ("disallowed", "robots_training_token"),
        ),
        (OPEN + b"Content-Usage: train-ai=y\n", [], ("allowed", "not_modified")),
        (OPEN, [("X-Robots-Tag", "noai")], ("disallowed", "x_robots_tag")),
        (OPEN, [("Content-Usage", "train-ai=n")], ("disallowed", "content_usage")),
        (OPEN, [("Content-Usage", "train-ai=y")], ("allowed", "not_modified")),
    ],
)
def test_a_304_row_records_a_refusal_and_never_allows_training(
    body: bytes, headers: list[tuple[str, str]], expected: tuple[str, str]
) -> None:
    row = revisit_row(body, headers)
    assert (row["training_signal"], row["deciding_signal"]) == expected
    assert (row["may_fetch"], row["may_index"], row["may_train"]) == (True, False, False)
    assert row["http_status"] == 304


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://Example.com.:80/a", "example.com"),
        ("http://user:pw@example.com:8080/a", "example.com:8080"),
        ("http://127.0.0.1.:8000/", "127.0.0.1:8000"),
    ],
)
def test_the_host_column_is_the_canonical_host_and_port(url: str, host: str) -> None:
    known = entry(OPEN)
    row = decision_row(url, "robots", evaluate(known), "Gleaner", "Gleaner-Extended", known, None)
    assert row["host"] == host


AGENTS = st.sampled_from(["*", "Gleaner", "Gleaner-Extended", "GPTBot", "Google-Extended"])
RULES = st.one_of(
    st.tuples(st.sampled_from(["Allow", "Disallow"]), st.sampled_from(["/", "/public/", "/x", ""])),
    st.tuples(st.just("Content-Usage"), st.sampled_from(["train-ai=y", "train-ai=n", "search=n"])),
    st.tuples(st.just("Content-Signal"), st.sampled_from(["ai-train=yes", "ai-train=no"])),
)
GROUPS = st.lists(st.tuples(AGENTS, st.lists(RULES, max_size=3)), max_size=4)


def robots_txt(groups: list[tuple[str, list[tuple[str, str]]]]) -> bytes:
    lines = []
    for agent, rules in groups:
        lines += [f"User-agent: {agent}", *(f"{name}: {value}" for name, value in rules), ""]
    return "\n".join(lines).encode()


@given(GROUPS)
def test_a_robots_txt_refusal_of_training_is_never_lost_at_the_304(
    groups: list[tuple[str, list[tuple[str, str]]]],
) -> None:
    body = robots_txt(groups)
    before, revisit = robots_row(body), revisit_row(body)
    refused = before["training_signal"] == "disallowed"
    assert revisit["may_train"] is False
    if before["may_fetch"]:
        assert before["may_train"] is not refused  # True only means "the page decides"
        assert before["may_index"] is None
        assert revisit["training_signal"] == before["training_signal"]
        expected = before["deciding_signal"] if refused else "not_modified"
        assert revisit["deciding_signal"] == expected
    else:
        assert (before["may_index"], before["may_train"]) == (False, False)
