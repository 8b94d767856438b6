"""The funnel: from URLs considered to documents kept, with every exit named.

Built from the decision log (what the crawler did) and the build's step
counters (what the pipeline did), so each number can be checked against the
files with SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def _scalar(con: object, sql: str) -> int:
    value = con.execute(sql).fetchone()[0]  # type: ignore[attr-defined]
    return int(value or 0)


def _grouped(con: object, sql: str) -> list[FunnelRow]:
    found = con.execute(sql).fetchall()  # type: ignore[attr-defined]
    return [FunnelRow(str(label), int(n), 1) for label, n in found]


def _crawl_rows(con: object) -> list[FunnelRow]:
    decided = "FROM decisions WHERE stage = 'robots'"
    pages = "FROM decisions WHERE stage = 'page'"
    return [
        FunnelRow("URLs considered", _scalar(con, f"SELECT count(*) {decided}")),
        FunnelRow("refused before fetch", _scalar(con, f"SELECT count(*) {decided} AND NOT may_fetch")),
        *_grouped(con, f"SELECT coalesce(deciding_signal, '?') || ': ' || coalesce(evidence, rule, '') AS why, "
                       f"count(*) {decided} AND NOT may_fetch GROUP BY why ORDER BY 2 DESC, 1"),
        FunnelRow("fetched", _scalar(con, f"SELECT count(*) {pages}")),
        FunnelRow("opted out of training", _scalar(con, f"SELECT count(*) {pages} AND NOT may_train")),
        *_grouped(con, f"SELECT coalesce(deciding_signal, '?'), count(*) {pages} AND NOT may_train "
                       "GROUP BY ALL ORDER BY 2 DESC, 1"),
        FunnelRow("cleared for training", _scalar(con, f"SELECT count(*) {pages} AND may_train")),
    ]  # fmt: skip


def _stat(con: object, step: str, counter: str) -> int:
    return _scalar(con, f"SELECT sum(value) FROM stats WHERE step = '{step}' AND counter = '{counter}'")


def _build_rows(con: object) -> list[FunnelRow]:
    reasons = "SELECT substr(counter, 9), value FROM stats WHERE step = '{}' AND counter LIKE 'dropped/%' ORDER BY 2 DESC, 1"
    return [
        FunnelRow("web pages read from WARC", _stat(con, "read_warc", "total")),
        *_grouped(con, reasons.format("read_warc")),
        FunnelRow("passed the consent gate", _stat(con, "consent", "kept")),
        *_grouped(con, reasons.format("consent")),
        FunnelRow("text extracted", _stat(con, "extract", "kept")),
        *_grouped(con, reasons.format("extract")),
        FunnelRow("passed quality rules", _stat(con, "quality", "kept")),
        *_grouped(con, reasons.format("quality")),
        FunnelRow("licensed documents read", _stat(con, "read_licensed", "kept")),
        FunnelRow("removed as duplicates", _stat(con, "dedup", "dropped")),
        *_grouped(con, reasons.format("dedup")),
        FunnelRow("documents kept", _scalar(con, "SELECT count(*) FROM documents")),
    ]  # fmt: skip
