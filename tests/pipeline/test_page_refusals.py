"""Page-level refusals: which captures of a page a refusal reaches, and what is one page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.page_refusals import PageRefusal, PageRefusals
from pipeline.urls import page_key

T0 = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("http://news.example/a", "http://NEWS.example:80/a", True),
        ("http://news.example/a", "http://news.example./a", True),
        ("https://news.example:443/a?x=1", "https://news.example/a?x=1", True),
        ("http://news.example/a#top", "http://news.example/a", True),  # never sent
        ("http://news.example", "http://news.example/", True),
        ("http://news.example/a", "https://news.example/a", False),  # another authority
        ("http://news.example/a", "http://news.example/A", False),  # paths are case-sensitive
        ("http://news.example/a?x=1", "http://news.example/a", False),
        ("http://news.example:8080/a", "http://news.example/a", False),
    ],
)
def test_one_page_has_one_key_whatever_its_spelling(a: str, b: str, same: bool) -> None:
    assert (page_key(a) == page_key(b)) is same


@pytest.mark.parametrize(
    ("refused_at", "captured_at", "reaches"),
    [
        (20, 10, True),  # a newer "no" reaches the older capture
        (10, 10, True),  # at the same time: when in doubt, no
        (10, 20, False),  # an older "no" does not reach a newer capture
        (None, 20, True),  # undated: it may be the newest
        (10, None, True),  # the capture's time is unknown: any refusal counts
    ],
)
def test_a_refusal_reaches_the_captures_made_when_or_before_it(
    refused_at: int | None, captured_at: int | None, reaches: bool
) -> None:
    def at(minutes: int | None) -> datetime | None:
        return None if minutes is None else T0 + timedelta(minutes=minutes)

    refusals = PageRefusals(
        [(page_key("http://a.example/p"), PageRefusal(at(refused_at), "x", ""))]
    )
    found = refusals.newer("http://A.example:80/p", at(captured_at))
    assert (found is not None) is reaches
    assert refusals.newer("http://a.example/other", at(captured_at)) is None


@given(st.lists(st.tuples(st.integers(0, 100), st.sampled_from(["/a", "/b"])), max_size=8))
def test_adding_a_refusal_never_frees_a_capture(found: list[tuple[int, str]]) -> None:
    def refusals(items: list[tuple[int, str]]) -> PageRefusals:
        return PageRefusals(
            (page_key(f"http://a.example{p}"), PageRefusal(T0 + timedelta(minutes=m), "x", ""))
            for m, p in items
        )

    fewer, more = refusals(found[:-1]), refusals(found)
    for minute in range(0, 101, 10):
        at = T0 + timedelta(minutes=minute)
        if fewer.newer("http://a.example/a", at) is not None:
            assert more.newer("http://a.example/a", at) is not None


def test_refusals_survive_a_round_trip_through_their_file(tmp_path: Path) -> None:
    refusals = PageRefusals(
        [
            (page_key("http://a.example/p"), PageRefusal(T0, "meta_robots", "a.warc.gz@0")),
            (page_key("http://a.example/q"), PageRefusal(None, "x_robots_tag", "log")),
        ]
    )
    refusals.save(tmp_path / "r.parquet")
    again = PageRefusals.load(tmp_path / "r.parquet")
    assert len(again) == 2
    assert again.newer("http://a.example/p", T0) == PageRefusal(T0, "meta_robots", "a.warc.gz@0")
    assert again.newer("http://a.example/q", T0) is not None
    assert len(PageRefusals.load(tmp_path / "missing.parquet")) == 0
