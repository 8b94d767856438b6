"""The refresh judge: a document row and the newest site captures in, a removal or None out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

import policies
from pipeline.optout import HostChange, RefreshJudge, host_changes
from pipeline.sites import SiteCapture, SiteSignals
from record.tokens import CRAWL_TOKEN, TRAINING_TOKEN

HOST = "http://news.example"
WHEN = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
REFUSE_TRAINING = f"User-agent: {TRAINING_TOKEN}\nDisallow: /\n\nUser-agent: *\nAllow: /\n"
OPEN = "User-agent: *\nAllow: /\n"


def robots(body: str, status: int | None = 200, note: str = "") -> SiteCapture:
    return SiteCapture("robots", HOST, WHEN, status, body.encode(), "robots log", note)


def tdmrep(body: str) -> SiteCapture:
    return SiteCapture("tdmrep", HOST, WHEN, 200, body.encode(), "warc#1")


def judge(*captures: SiteCapture) -> RefreshJudge:
    return RefreshJudge(SiteSignals(captures), CRAWL_TOKEN, TRAINING_TOKEN)


def row(url: str = f"{HOST}/a/1", source: str = "web") -> dict[str, object]:
    return {"id": "d1", "url": url, "source": source}


@pytest.mark.parametrize(
    ("captures", "reason", "rule"),
    [
        ((robots(REFUSE_TRAINING),), "opt_out/robots_training_token", "Disallow: /"),
        ((robots("User-agent: Gleaner\nDisallow: /a/\n"),), "opt_out/robots", "Disallow: /a/"),
        ((robots("", status=None, note="ConnectError"),), "robots_unreachable", None),
        ((robots("", status=503),), "robots_unreachable", "HTTP 503"),
        ((robots("", status=403),), "opt_out/robots", "HTTP 403"),
        (
            (robots(OPEN), tdmrep('[{"location": "/*", "tdm-reservation": 1}]')),
            "opt_out/tdmrep",
            None,
        ),
    ],
)
def test_a_refusal_now_removes_the_document(
    captures: tuple[SiteCapture, ...], reason: str, rule: str | None
) -> None:
    removal = judge(*captures)(row())
    assert removal is not None and removal.id == "d1"
    assert removal.reason == reason
    if rule is not None:
        assert removal.rule == rule
    assert removal.evidence and HOST in removal.evidence


@pytest.mark.parametrize(
    ("captures", "doc"),
    [
        ((robots(OPEN),), row()),  # still open
        ((robots("User-agent: Gleaner\nDisallow: /b/\n"),), row()),  # refuses another path
        ((robots(REFUSE_TRAINING),), row(source="harbor-bank")),  # licensed: not web signals
        ((robots(REFUSE_TRAINING),), row(url="http://other.example/a")),  # a host not asked
        ((robots("", status=None, note="IgnoreRequest: address guard: 10.0.0.1"),), row()),
        ((robots("", status=404),), row()),  # no robots.txt: allow all, not an opt-out
    ],
)
def test_no_refusal_keeps_the_document(
    captures: tuple[SiteCapture, ...], doc: dict[str, object]
) -> None:
    assert judge(*captures)(doc) is None


def test_the_evidence_carries_the_full_new_digest() -> None:
    capture = robots(REFUSE_TRAINING)
    removal = judge(capture)(row())
    assert removal is not None and removal.evidence is not None
    assert capture.sha256 in removal.evidence and len(capture.sha256) == 64


_PAGE_SIGNALS = [
    [],
    [("Content-Usage", "train-ai=y")],
    [("X-Robots-Tag", "noindex")],
    [("Content-Usage", "train-ai=y"), ("X-Robots-Tag", "noarchive=0")],
]


@given(
    body=st.sampled_from([REFUSE_TRAINING, OPEN, "User-agent: Gleaner\nDisallow: /\n", ""]),
    status=st.sampled_from([200, 404, 503, None]),
    headers=st.sampled_from(_PAGE_SIGNALS),
)
def test_page_signals_of_an_admitted_page_never_lift_a_site_refusal(
    body: str, status: int | None, headers: list[tuple[str, str]]
) -> None:
    """The judge's premise (see pipeline/optout/judge.py): signals a page that passed the
    gate can carry only add reasons, none of which outweighs a site-level refusal."""
    parsed = robots(body, status).robots()
    url = f"{HOST}/a/1"
    alone = policies.evaluate(
        url, crawl_agent=CRAWL_TOKEN, training_agent=TRAINING_TOKEN, robots=parsed
    )
    page = policies.evaluate(
        url, crawl_agent=CRAWL_TOKEN, training_agent=TRAINING_TOKEN, robots=parsed, headers=headers
    )
    refused_alone = not alone.may_fetch or alone.training_signal == "disallowed"
    refused_with_page = not page.may_fetch or page.training_signal == "disallowed"
    assert refused_alone == refused_with_page


def test_host_changes_show_each_digest_before_and_after() -> None:
    old = SiteCapture("robots", HOST, datetime(2026, 1, 1, tzinfo=UTC), 200, OPEN.encode(), "log")
    new = robots(REFUSE_TRAINING)
    down = SiteCapture("robots", "http://down.example", WHEN, None, b"", "log", "refused")
    changes = host_changes(SiteSignals([old]), SiteSignals([new, down]))
    assert changes == [
        HostChange("http://down.example", "none", "unreachable", True),
        HostChange(HOST, old.sha256[:16], new.sha256[:16], True),
    ]


@pytest.mark.parametrize("refusing_first", [True, False])
def test_any_of_several_newest_captures_refusing_removes(refusing_first: bool) -> None:
    # One time, two answers (a refresh that fetched twice): the stricter one is heard.
    pair = [robots(REFUSE_TRAINING), robots(OPEN)]
    removal = judge(*(pair if refusing_first else pair[::-1]))(row())
    assert removal is not None and removal.reason == "opt_out/robots_training_token"
