"""Site-level captures over time: which ones apply to a page captured at a given moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pipeline.sites import SiteCapture, SiteSignals

T0 = datetime(2026, 1, 1, tzinfo=UTC)
KEY = "http://a.example"


def cap(minutes: int | None, body: bytes = b"", status: int | None = 200) -> SiteCapture:
    when = None if minutes is None else T0 + timedelta(minutes=minutes)
    return SiteCapture("robots", KEY, when, status, body, f"test@{minutes}")


def sources(captures: list[SiteCapture]) -> list[str]:
    return sorted(c.source for c in captures)


@pytest.mark.parametrize(
    ("times", "page", "in_force", "newest"),
    [
        ([0, 20], 10, ["test@0"], ["test@20"]),
        ([0, 20], 30, ["test@20"], ["test@20"]),
        ([20, 40], 10, ["test@20"], ["test@40"]),  # none before the page: the earliest
        ([0, 0, 20], 10, ["test@0", "test@0"], ["test@20"]),  # ties all count
        ([0, None], 10, ["test@0", "test@None"], ["test@0", "test@None"]),  # undated: always
        ([None], 10, ["test@None"], ["test@None"]),
        ([], 10, [], []),
    ],
)
def test_which_captures_apply(
    times: list[int | None], page: int, in_force: list[str], newest: list[str]
) -> None:
    sites = SiteSignals(cap(t) for t in times)
    at = T0 + timedelta(minutes=page)
    assert sources(sites.in_force("robots", KEY, at)) == sorted(in_force)
    assert sources(sites.newest("robots", KEY)) == sorted(newest)


def test_a_page_without_a_date_takes_the_earliest_as_in_force() -> None:
    sites = SiteSignals([cap(5), cap(50)])
    assert sources(sites.in_force("robots", KEY, None)) == ["test@5"]


def test_kinds_and_authorities_are_separate() -> None:
    sites = SiteSignals([cap(0), SiteCapture("tdmrep", "http://b.example", T0, 200, b"[]", "t")])
    assert sites.known("robots", KEY) and not sites.known("tdmrep", KEY)
    assert sites.authorities() == {KEY, "http://b.example"}


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (200, b"User-agent: *\nDisallow: /\n", "parsed"),
        (404, b"", "allow-all"),
        (503, b"", "disallow-all"),
        (None, b"", "disallow-all"),  # unreachable, unresolved, cut short
    ],
)
def test_a_capture_reads_as_robots_txt(status: int | None, body: bytes, outcome: str) -> None:
    assert cap(0, body, status).robots().outcome == outcome


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    sites = SiteSignals([cap(0, b"User-agent: *\n"), cap(None, status=None)])
    path = tmp_path / "consent" / "sites.parquet"
    sites.save(path)
    loaded = SiteSignals.load(path)
    assert [(c.time, c.status, c.body, c.source, c.sha256) for c in loaded.captures] == [
        (c.time, c.status, c.body, c.source, c.sha256) for c in sites.captures
    ]
    assert "unreachable" in loaded.captures[1].evidence


@pytest.mark.parametrize(
    ("status", "outcome", "error", "reads_as"),
    [
        (None, "disallow-all", "TimeoutError", "disallow-all"),  # unreachable
        (None, "allow-all", "too many redirects", "allow-all"),
        (503, "disallow-all", None, "disallow-all"),
        (200, "disallow-all", None, "disallow-all"),  # whatever the status, the log's word
        (404, "allow-all", None, "allow-all"),
        (200, "parsed", None, "disallow-all"),  # body missing from the run's WARC files
    ],
)
def test_robots_log_rows_never_read_looser_than_the_crawler_decided(
    tmp_path: Path, status: int | None, outcome: str, error: str | None, reads_as: str
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.sites_collect import captures_from_crawl_log
    from record.schema import ROBOTS_SCHEMA

    row = {
        "authority": "http://a.example:80",
        "time": T0,
        "status": status,
        "redirects": [],
        "sha256": None,
        "size": None,
        "outcome": outcome,
        "error": error,
        "warc_file": None,
        "warc_record_id": "<urn:uuid:not-in-any-warc>",
    }
    (tmp_path / "robots").mkdir()
    table = pa.Table.from_pylist([row], schema=ROBOTS_SCHEMA)
    pq.write_table(table, tmp_path / "robots" / "part-00000.parquet")
    [capture] = captures_from_crawl_log([tmp_path], [])
    assert capture.authority == "http://a.example"
    assert capture.robots().outcome == reads_as
