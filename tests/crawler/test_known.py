"""The job's known URLs: one file per process and run, merged into a run's base once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.known import Known, KnownPages, known_base, open_known, read_known

RUNS = ["20261201T030000Z", "20261202T030000Z", "20261203T030000Z", "20261204T030000Z"]


def took(run: Path, worker: str | None, *known: Known) -> None:
    """What one process of ``run`` took (and, with a record, captured)."""
    pages = open_known(run, worker)
    for k in known:
        pages.add(k.url, k.url, k.depth, k.kind)
        if k.record_id:
            pages.captured(k.url, k)
    pages.close()  # as when the process ends


def capture(url: str, date: str, depth: int = 1) -> Known:
    return Known(url, depth, "page", f'"{date}"', None, f"<urn:{date}>", date)


def merged(run: Path) -> dict[str, Known]:
    return {k.url: k for k in read_known(known_base(run))}


@pytest.mark.parametrize(
    ("older", "newer"),
    [
        ("2026-12-01T10:00:00Z", "2026-12-01T10:00:01Z"),
        ("2026-12-01T10:00:00Z", "2026-12-01T10:00:00.500000Z"),  # no fraction when it is 0
        ("2026-12-01T09:59:59.999999Z", "2026-12-01T10:00:00Z"),
    ],
)
def test_the_newest_capture_of_a_url_wins_whichever_file_holds_it(
    tmp_path: Path, older: str, newer: str
) -> None:
    first, second, now = (tmp_path / "job" / name for name in RUNS[:3])
    took(first, "w001", capture("u", older, depth=2))
    took(first, "w002", capture("u", newer, depth=3))  # the same run, another worker
    took(second, "local", Known("u", 1, "page"))  # taken, not captured (a refusal, a 304)
    assert merged(now)["u"] == capture("u", newer, depth=1)  # and the shallowest depth


def test_a_base_supersedes_the_files_before_it(tmp_path: Path) -> None:
    a, b, c, d = (tmp_path / "job" / name for name in RUNS)
    took(a, "w001", capture("old", "2026-12-01T03:00:00Z"))
    assert set(merged(b)) == {"old"}  # b's base: a's files
    took(b, "w001", capture("new", "2026-12-02T03:00:00Z"))
    (a / "known" / "w001.sqlite3").unlink()  # a's files are in b's base: never read again
    assert set(merged(c)) == {"old", "new"}
    assert not (b / "known" / "base.sqlite3").exists()  # superseded by c's
    assert (b / "known" / "w001.sqlite3").exists()  # a run's record of what it took stays
    took(d, "w001", capture("mine", "2026-12-04T03:00:00Z"))
    assert "mine" not in merged(d)  # a run's own files are not its base


def test_a_resumed_run_seeds_from_the_same_base(tmp_path: Path) -> None:
    a, b = (tmp_path / "job" / name for name in RUNS[:2])
    took(a, None, capture("u", "2026-12-01T03:00:00Z"))
    base = known_base(b)
    stamp = os.stat(base).st_mtime_ns
    took(a, "w009", capture("late", "2026-12-01T04:00:00Z"))  # a stalled worker of run a
    assert known_base(b) == base and os.stat(base).st_mtime_ns == stamp
    assert set(merged(b)) == {"u"}


def test_the_job_s_single_file_of_earlier_versions_is_read_until_a_base_exists(
    tmp_path: Path,
) -> None:
    job = tmp_path / "job"
    legacy = KnownPages(job / "known.sqlite3")  # where it used to be
    legacy.add("old", "old", 0, "page")
    legacy.close()
    took(job / RUNS[0], "w001", capture("new", "2026-12-01T03:00:00Z"))
    assert set(merged(job / RUNS[1])) == {"old", "new"}
    (job / "known.sqlite3").unlink()  # in run 1's base by now
    assert set(merged(job / RUNS[2])) == {"old", "new"}


def test_an_unreadable_file_is_left_out_and_the_others_merged(tmp_path: Path) -> None:
    a, b = (tmp_path / "job" / name for name in RUNS[:2])
    took(a, "w001", capture("u", "2026-12-01T03:00:00Z"))
    (a / "known" / "w002.sqlite3").write_bytes(b"not a database at all, cut short by a crash")
    assert set(merged(b)) == {"u"}


def stamp(second: int) -> str:
    return f"2026-12-01T{second // 3600:02}:{second // 60 % 60:02}:{second % 60:02}Z"


takes = st.tuples(st.sampled_from("uvw"), st.integers(0, 2), st.sampled_from(["w001", "w002"]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(takes, st.integers(0, 86_399)), max_size=12, unique_by=lambda r: r[1]))
def test_merging_keeps_each_url_s_newest_capture_however_the_files_split(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[tuple[str, int, str], int]]
) -> None:
    job = tmp_path_factory.mktemp("known") / "job"
    newest: dict[str, int] = {}
    for (url, run, worker), second in rows:
        took(job / RUNS[run], worker, capture(url, stamp(second)))
        newest[url] = max(newest.get(url, second), second)
    found = merged(job / RUNS[3])
    assert {u: k.record_date for u, k in found.items()} == {u: stamp(s) for u, s in newest.items()}
