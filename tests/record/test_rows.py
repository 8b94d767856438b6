"""Verdict → row: what each stage's decision-log columns say, for real robots.txt files."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policies
from record import CRAWL_TOKEN, OUTCOMES, TRAINING_TOKEN, decision_row, revisit_verdict

URL = "http://example.com/public/page"
OPEN = b"User-agent: *\nAllow: /\n"
TOKENS = (CRAWL_TOKEN, TRAINING_TOKEN)


def evaluate(
    robots: policies.RobotsTxt, headers: list[tuple[str, str]] | None = None
) -> policies.Verdict:
    """As the crawler asks: both tokens, this robots.txt, and (after a 304) its headers."""
    return policies.evaluate(
        URL, crawl_agent=CRAWL_TOKEN, training_agent=TRAINING_TOKEN, robots=robots, headers=headers
    )


def row(stage: str, verdict: policies.Verdict, robots: policies.RobotsTxt, **kw: Any) -> Any:
    stamp = (robots.sha256, datetime.now(UTC))
    return decision_row(URL, stage, verdict, tokens=TOKENS, robots=stamp, **kw)


def robots_row(body: bytes, status: int = 200) -> dict[str, Any]:
    robots = policies.RobotsTxt.parse(body, status=status)
    return row("robots", evaluate(robots), robots)


def revisit_row(body: bytes, headers: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    robots = policies.RobotsTxt.parse(body, status=200)
    return row("page", revisit_verdict(evaluate(robots, headers)), robots, status=304)


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
    got = robots_row(body, status)
    columns = ("may_fetch", "may_index", "may_train", "training_signal", "deciding_signal")
    assert tuple(got[k] for k in columns) == expected
    assert got["outcome"] is None  # robots.txt is the publisher's answer, 5xx included


@pytest.mark.parametrize(
    ("body", "headers", "expected"),
    [
        # (may_train, training_signal, deciding_signal) of the 304's page row: a
        # publisher's refusal stays on record; otherwise no training answer at all
        (OPEN, [], (None, "unknown", None)),
        (
            b"User-agent: Gleaner-Extended\nDisallow: /\n",
            [],
            (False, "disallowed", "robots_training_token"),
        ),
        (OPEN + b"Content-Usage: train-ai=y\n", [], (None, "allowed", "content_usage")),
        (OPEN, [("X-Robots-Tag", "noai")], (False, "disallowed", "x_robots_tag")),
        (OPEN, [("Content-Usage", "train-ai=n")], (False, "disallowed", "content_usage")),
        (OPEN, [("Content-Usage", "train-ai=y")], (None, "allowed", "content_usage")),
    ],
)
def test_a_304_row_records_a_refusal_and_never_allows_training(
    body: bytes, headers: list[tuple[str, str]], expected: tuple[Any, str, str | None]
) -> None:
    got = revisit_row(body, headers)
    assert (got["may_train"], got["training_signal"], got["deciding_signal"]) == expected
    assert (got["may_fetch"], got["may_index"], got["outcome"]) == (True, False, "not_modified")
    assert got["http_status"] == 304
    if got["deciding_signal"] is None:  # nothing the publisher said: the outcome is quoted
        assert (got["rule"], got["evidence"]) == ("conditional GET", "304: see WARC-Refers-To")


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("http://Example.com.:80/a", "example.com"),
        ("http://user:pw@example.com:8080/a", "example.com:8080"),
        ("http://127.0.0.1.:8000/", "127.0.0.1:8000"),
    ],
)
def test_the_host_column_is_the_canonical_host_and_port(url: str, host: str) -> None:
    verdict = evaluate(policies.RobotsTxt.parse(OPEN, status=200))
    assert decision_row(url, "robots", verdict, tokens=TOKENS)["host"] == host


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
    assert revisit["may_train"] is not True
    assert revisit["deciding_signal"] not in OUTCOMES  # an outcome is never an opt-out
    if before["may_fetch"]:
        assert before["may_train"] is not refused  # True only means "the page decides"
        assert before["may_index"] is None
        assert revisit["training_signal"] == before["training_signal"]
        assert revisit["may_train"] is (False if refused else None)
        if refused:
            assert revisit["deciding_signal"] == before["deciding_signal"]
    else:
        assert (before["may_index"], before["may_train"]) == (False, False)
