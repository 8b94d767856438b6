"""The funnel: from URLs considered to documents kept, with every exit named.

Built from the decision log (what the crawler did) and the build's step
counters (what the pipeline did), so each number can be checked against the
files with SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.sql import connect

__all__ = ["Funnel", "FunnelRow", "funnel"]


@dataclass(frozen=True, slots=True)
class FunnelRow:
    """One line: a label, a count, and how deep it sits (0 = stage, 1 = reason)."""

    label: str
    count: int
    level: int = 0


@dataclass(frozen=True)
class Funnel:
    rows: tuple[FunnelRow, ...]

    def count(self, label: str) -> int:
        return next(r.count for r in self.rows if r.label == label)


def funnel(dataset: Path) -> Funnel:
    """The crawl-and-build funnel of a dataset version (its latest, given a dataset)."""
    con = connect(dataset)
    try:
        rows = [*_crawl_rows(con), *_build_rows(con)]
    finally:
        con.close()
    return Funnel(tuple(rows))


_ROBOTS = "FROM decisions WHERE stage = 'robots'"
_PAGES = "FROM decisions WHERE stage = 'page'"
_REFUSALS = (
    "SELECT coalesce(outcome, deciding_signal, '?') || ': ' "
    "|| coalesce(rule, evidence, '') AS why, "
    f"count(*) {_ROBOTS} AND NOT may_fetch GROUP BY why ORDER BY 2 DESC, 1"
)
_OPT_OUTS = (
    f"SELECT coalesce(deciding_signal, '?'), count(*) {_PAGES} AND NOT may_train "
    "GROUP BY ALL ORDER BY 2 DESC, 1"
)
_NOT_READ = (
    f"SELECT outcome, count(*) {_PAGES} AND may_train IS NULL GROUP BY ALL ORDER BY 2 DESC, 1"
)
_DROPS = (
    "SELECT substr(counter, 9), value FROM stats "
    "WHERE step = '{}' AND counter LIKE 'dropped/%' ORDER BY 2 DESC, 1"
)


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0] or 0) if row else 0


def _grouped(con: duckdb.DuckDBPyConnection, sql: str) -> list[FunnelRow]:
    return [FunnelRow(str(label), int(n), 1) for label, n in con.execute(sql).fetchall()]


def _crawl_rows(con: duckdb.DuckDBPyConnection) -> list[FunnelRow]:
    return [
        FunnelRow("URLs considered", _scalar(con, f"SELECT count(*) {_ROBOTS}")),
        FunnelRow(
            "refused before fetch", _scalar(con, f"SELECT count(*) {_ROBOTS} AND NOT may_fetch")
        ),
        *_grouped(con, _REFUSALS),
        FunnelRow("fetched", _scalar(con, f"SELECT count(*) {_PAGES}")),
        FunnelRow(
            "opted out of training", _scalar(con, f"SELECT count(*) {_PAGES} AND NOT may_train")
        ),
        *_grouped(con, _OPT_OUTS),
        FunnelRow("cleared for training", _scalar(con, f"SELECT count(*) {_PAGES} AND may_train")),
        # A fetch or scope outcome (a 304, a refused type) is no opt-out: nothing was read.
        FunnelRow("not read", _scalar(con, f"SELECT count(*) {_PAGES} AND may_train IS NULL")),
        *_grouped(con, _NOT_READ),
    ]


def _stat(con: duckdb.DuckDBPyConnection, step: str, counter: str) -> int:
    sql = "SELECT sum(value) FROM stats WHERE step = ? AND counter = ?"
    row = con.execute(sql, [step, counter]).fetchone()
    return int(row[0] or 0) if row else 0


_FILTERS = {
    "language": "in an allowed language",
    "repetition": "passed repetition rules",
    "quality": "passed quality rules",
    "c4": "passed C4 rules",
    "fineweb": "passed FineWeb rules",
}


def _filter_rows(con: duckdb.DuckDBPyConnection) -> list[FunnelRow]:
    # Licensed documents pass through too (labelled, never judged), so they count here.
    rows: list[FunnelRow] = []
    for step, label in _FILTERS.items():
        rows.append(FunnelRow(label, _stat(con, step, "kept")))
        rows.extend(_grouped(con, _DROPS.format(step)))
    return rows


def _build_rows(con: duckdb.DuckDBPyConnection) -> list[FunnelRow]:
    return [
        FunnelRow("responses read from WARC", _stat(con, "read_warc", "total")),
        *_grouped(con, _DROPS.format("read_warc")),
        FunnelRow("passed the consent gate", _stat(con, "consent", "kept")),
        *_grouped(con, _DROPS.format("consent")),
        FunnelRow("text extracted", _stat(con, "extract", "kept")),
        *_grouped(con, _DROPS.format("extract")),
        FunnelRow("licensed documents read", _stat(con, "read_licensed", "kept")),
        *_filter_rows(con),
        FunnelRow("removed as duplicates", _stat(con, "dedup", "dropped")),
        *_grouped(con, _DROPS.format("dedup")),
        # This build's documents: the version also holds its parent's (a snapshot).
        FunnelRow("documents kept", _scalar(con, "SELECT count(*) FROM added")),
        *_version_rows(con),
    ]


def _version_rows(con: duckdb.DuckDBPyConnection) -> list[FunnelRow]:
    held = _scalar(con, "SELECT count(*) FROM documents")
    if held == _scalar(con, "SELECT count(*) FROM added"):
        return []
    return [FunnelRow("documents in the version (earlier versions' included)", held)]
