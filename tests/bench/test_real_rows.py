"""The real-page rows' arithmetic: step-time shares and quality scores, without running a build."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.context import BenchContext
from bench.extraction_set import LabelledPage
from bench.results import Result, Side, Unavailable
from bench.rows.real_build import real_build_rows, step_shares
from bench.rows.real_dates import date_rows, date_side
from bench.rows.real_extraction import Run, kind_rows, real_extraction_rows, score_rows
from bench.run import _exit_code

OUR_STATS = {
    "read_warc": {"time_ms": 100},
    "consent": {"time_ms": 0},
    "extract": {"time_ms": 600},
    "language": {"time_ms": 100},
    "repetition": {"time_ms": 150},
    "c4": {"time_ms": 50},
}
THEIR_STEPS = {
    "READER: Warc": {"seconds": 1.0},
    "EXTRAC: Trafilatura": {"seconds": 6.0},
    "FILTER: Gopher Quality": {"seconds": 2.0},
    "WRITER: Parquet": {"seconds": 1.0},
}


def side(**detail: object) -> Side:
    return Side(1.0, 1.0, 10, 5, dict(detail))


def test_our_shares_group_steps_by_role() -> None:
    shares = step_shares(side(stats=OUR_STATS), ours=True)
    assert shares == pytest.approx(
        {"read": 10, "extract": 60, "filters": 20, "language": 10, "other": 0}
    )


def test_their_shares_come_from_datatrove_step_seconds() -> None:
    shares = step_shares(side(steps=THEIR_STEPS), ours=False)
    assert shares == pytest.approx(
        {"read": 10, "extract": 60, "filters": 20, "language": 0, "other": 10}
    )


def test_no_timings_means_no_shares() -> None:
    assert step_shares(side(stats={}), ours=True) is None
    assert step_shares(Unavailable("failed"), ours=True) is None


def labelled(
    truth: str, kind: str, must_not: tuple[str, ...] = (), published: date | None = None
) -> LabelledPage:
    return LabelledPage(
        "https://example.org/", b"", truth, "p", "x.html", kind, (), 0.0, must_not, published
    )


def test_quality_rows_are_micro_scores_then_mean_page_f1() -> None:
    pages = [labelled("a b c d", "docs"), labelled("e f", "faq")]
    results = list(score_rows(["a b", ""], ["a b c d", "e f x y"], pages))[:4]
    ours = [r.ours.rate for r in results if isinstance(r.ours, Side)]
    theirs = [r.theirs.rate for r in results if isinstance(r.theirs, Side)]
    # ours: overlap 2 of 2 extracted, 6 true; page F1s 2/3 and 0.
    assert ours == pytest.approx([100.0, 33.33, 50.0, 33.33], abs=0.01)
    # theirs: overlap 6 of 8 extracted, 6 true; page F1s 1 and 2/3.
    assert theirs == pytest.approx([75.0, 100.0, 85.71, 83.33], abs=0.01)


def test_a_skipped_row_does_not_fail_the_run() -> None:
    skipped = Unavailable("skipped: no `apt-get` on this machine")
    assert _exit_code([Result("real build", skipped, skipped)], require_anchor=True) == 0
    broken = Unavailable("gleaner build failed (exit 1)")
    assert _exit_code([Result("build", broken, side())], require_anchor=True) == 1


def test_rows_say_skipped_when_the_packages_cannot_be_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bench.debian_pages.shutil.which", lambda _name: None)
    ctx = BenchContext(None, tmp_path, (1,), Unavailable("no anchor"), smoke=True)  # type: ignore[arg-type]
    results = [*real_extraction_rows(ctx), *real_build_rows(ctx), *date_rows(ctx)]
    assert results and all(
        isinstance(r.ours, Unavailable) and r.ours.reason == "skipped: no `apt-get` on this machine"
        for r in results
    )


def test_chrome_kept_out_counts_must_not_lines_found_in_the_output() -> None:
    pages = [labelled("a b", "docs", ("Report a bug", "Small.  Fast.")), labelled("c", "faq", ())]
    last = list(score_rows(["a b Small. Fast.", "c"], ["a b", "c"], pages))[-1]
    assert last.name == "real extraction chrome kept out"
    assert isinstance(last.ours, Side) and last.ours.rate == 50.0
    assert isinstance(last.theirs, Side) and last.theirs.rate == 100.0


def test_kind_rows_score_each_kind_on_its_own_pages_in_name_order() -> None:
    pages = [labelled("a b", "posts"), labelled("c d", "news"), labelled("e f", "posts")]
    ours = Run(["a b", "c d", ""], [0.002, 0.001, 0.004])
    theirs = Run(["a b", "c x", "e f"], [0.01, 0.01, 0.01])
    rows = list(kind_rows(ours, theirs, pages))
    assert [row.name for row in rows] == ["real extraction F1 news", "real extraction F1 posts"]
    news, posts = rows
    assert isinstance(news.ours, Side) and isinstance(news.theirs, Side)
    assert (news.ours.rate, news.theirs.rate) == (100.0, 50.0)
    assert isinstance(posts.ours, Side) and posts.ours.rate == pytest.approx(66.67)
    assert posts.ours.detail["ms_per_page"] == 3.0 and posts.ours.docs_out == 1


def test_a_date_is_right_when_it_is_the_true_day_or_none_on_an_undated_page() -> None:
    day = date(2008, 11, 19)
    pages = [labelled("", "news", published=day)] * 2 + [labelled("", "docs")] * 2
    side = date_side([day, None, None, date(2023, 2, 8)], 0.004, pages)
    assert side.rate == 50.0 and side.docs_out == 2
    assert side.detail["dated_right"] == "1/2" and side.detail["undated_left"] == "1/2"
    assert side.detail["ms_per_page"] == 1.0 and len(side.detail["wrong"]) == 2
