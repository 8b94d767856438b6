"""The crawl logs in-process: parts flushed by count, complete files only, stats at close."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from scrapy.exceptions import NotConfigured

from crawler.logs import CrawlLogs, ParquetLog, crawl_logs
from crawler.state import RunState
from record import DECISION_SCHEMA, ROBOTS_SCHEMA, decision_row, outcome_verdict
from tests.crawler.inprocess import project_crawler

TOKENS = ("Gleaner", "Gleaner-Extended")


def row(n: int) -> dict[str, object]:
    verdict = outcome_verdict("address_guard", "rule", "evidence", fetched=False)
    return decision_row(f"http://127.0.0.1:8000/{n}", "robots", verdict, tokens=TOKENS)


def parts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_no_run_folder_no_logs(tmp_path: Path) -> None:
    crawler = project_crawler(tmp_path, GLEANER_RUN_DIR=None)
    with pytest.raises(NotConfigured):
        CrawlLogs.from_crawler(crawler)


@pytest.mark.parametrize(
    ("flush_rows", "rows", "expected"),
    [
        (2, 5, ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]),
        (5, 5, ["part-00000.parquet"]),
        (10, 3, ["part-00000.parquet"]),  # the rest at close
        (10, 0, []),  # nothing logged: no empty part
    ],
)
def test_rows_are_flushed_in_parts_of_the_configured_size(
    tmp_path: Path, flush_rows: int, rows: int, expected: list[str]
) -> None:
    crawler = project_crawler(tmp_path, DECISIONS_FLUSH_ROWS=flush_rows)
    logs = crawl_logs(crawler)
    for n in range(rows):
        logs.decisions.append(row(n))
    logs.close()
    assert parts(tmp_path / "decisions") == expected
    assert logs.decisions.written == rows
    for name in expected:
        assert pq.read_schema(tmp_path / "decisions" / name).equals(DECISION_SCHEMA)


def test_close_writes_the_stats_and_the_finish_reason(tmp_path: Path) -> None:
    crawler = project_crawler(tmp_path)
    crawler.stats.set_value("policy/page/may_train", 3)
    crawl_logs(crawler).close("shutdown")
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert (stats["policy/page/may_train"], stats["finish_reason"]) == (3, "shutdown")


def test_a_journalled_row_survives_a_killed_process(tmp_path: Path) -> None:
    first = crawl_logs(project_crawler(tmp_path))
    first.decisions.append(row(1))  # journalled, not yet flushed; the process dies here
    first.state.close()  # type: ignore[union-attr]
    crawl_logs(project_crawler(tmp_path)).close()
    table = pq.read_table(tmp_path / "decisions" / "part-00000.parquet")
    assert table.column("url").to_pylist() == ["http://127.0.0.1:8000/1"]


class Killed(Exception):
    """Stands for a kill -9 at one point of a flush: nothing after it runs."""


def _die() -> None:
    raise Killed


def _kill_at(patch: pytest.MonkeyPatch, state: RunState, point: str) -> None:
    if point == "before_the_part":
        patch.setattr("crawler.logs.os.replace", lambda *_: _die())
    else:  # the part is in place, the journal not yet cleared
        patch.setattr(state, "forget_journal", lambda _log: _die())


@pytest.mark.parametrize(
    ("first", "recovering"),
    [
        ("before_the_part", None),
        ("after_the_part", None),
        ("before_the_part", "before_the_part"),
        ("before_the_part", "after_the_part"),  # the recovered rows' part, then a kill
    ],
)
def test_a_kill_during_a_flush_neither_loses_nor_repeats_a_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str, recovering: str | None
) -> None:
    folder = tmp_path / "decisions"
    path = tmp_path / "state" / "w001.sqlite3"
    state = RunState(path)
    log = ParquetLog(folder, DECISION_SCHEMA, flush_rows=3, state=state, worker="w001")
    log.append(row(0))
    log.append(row(1))
    with monkeypatch.context() as patch:
        _kill_at(patch, state, first)
        with pytest.raises(Killed):
            log.append(row(2))  # the third row flushes the part
    state.close()
    if recovering is not None:  # the next process dies while flushing what it recovered
        state = RunState(path)
        with monkeypatch.context() as patch:
            _kill_at(patch, state, recovering)
            with pytest.raises(Killed):
                ParquetLog(folder, DECISION_SCHEMA, 3, state, "w001")
        state.close()
    ParquetLog(folder, DECISION_SCHEMA, 3, RunState(path), "w001").flush()
    urls = pq.read_table(folder).column("url").to_pylist()
    assert sorted(urls) == [f"http://127.0.0.1:8000/{n}" for n in range(3)]


def test_the_robots_log_is_written_with_its_own_schema(tmp_path: Path) -> None:
    logs = crawl_logs(project_crawler(tmp_path))
    fetched = datetime.now(UTC)
    authority = "http://127.0.0.1:8000"
    logs.robots.append(
        {"authority": authority, "time": fetched, "status": 503, "outcome": "disallow-all"}
    )
    logs.close()
    [part] = (tmp_path / "robots").glob("part-*.parquet")
    table = pq.read_table(part)
    assert table.schema.equals(ROBOTS_SCHEMA)
    assert table.to_pylist()[0]["outcome"] == "disallow-all"
