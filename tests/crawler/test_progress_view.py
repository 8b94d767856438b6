"""What a person sees of a crawl: a live panel on a terminal, plain lines in a log."""

from __future__ import annotations

from io import StringIO

import pytest
from rich.console import Console

from crawler.progress_view import live_view, plain_line, summary_lines, summary_table
from crawler.tally import CrawlTally, tally

STATS = {
    "policy/page/may_train": 40,
    "policy/page/opt_out/noai": 2,
    "policy/page/outcome/not_modified": 1,
    "policy/robots/denied": 3,
    "downloader/response_status_count/200": 42,
    "downloader/response_status_count/503": 1,
    "downloader/response_bytes": 2_500_000,
}
HOSTS = tuple(f"http://127.0.0.1:{8000 + n}" for n in range(7))


def now(waiting: tuple[str, ...] = ()) -> CrawlTally:
    return tally(STATS, pages_per_host=60, hosts=2, seconds=60.0, waiting=waiting)


def render(thing: object, terminal: bool) -> str:
    out = StringIO()
    Console(file=out, force_terminal=terminal, width=120, color_system=None).print(thing)
    return out.getvalue()


@pytest.mark.parametrize(
    ("waiting", "shown"),
    [
        (
            (),
            "crawl: 43 of 120 pages (2 host(s) x 60), status 200x42 503x1, "
            "3 refused before fetch, 43.0 pages/min",
        ),
        (HOSTS[:1], ", waiting on politeness: http://127.0.0.1:8000"),
        (HOSTS, "http://127.0.0.1:8004 and 2 more"),
    ],
)
def test_a_plain_line_says_pages_budget_statuses_rate_and_waits(
    waiting: tuple[str, ...], shown: str
) -> None:
    line = plain_line(now(waiting))
    assert shown in line and "\n" not in line


def test_the_live_panel_shows_the_same_numbers() -> None:
    shown = render(live_view(now(HOSTS[:2])), terminal=True)
    for text in ("43 of 120", "200x42 503x1", "43.0 pages/min", "http://127.0.0.1:8001"):
        assert text in shown


@pytest.mark.parametrize(
    ("label", "value"),
    [
        ("fetched", "43"),
        ("refused by robots.txt before fetch", "3"),
        ("refused by signal (opted out of training)", "2"),
        ("  noai", "2"),
        ("not read (no opt-out)", "1"),
        ("  not_modified", "1"),
        ("errors", "0"),
        ("bytes", "2.5 MB"),
        ("time", "60 s"),
    ],
)
def test_the_summary_has_every_row_in_both_forms(label: str, value: str) -> None:
    assert f"  {label}: {value}" in summary_lines(now())
    table = render(summary_table(now()), terminal=True)
    assert "Crawl summary" in table
    assert any(
        label.strip() in row and row.rstrip(" │").endswith(value) for row in table.splitlines()
    )
