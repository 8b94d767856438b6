"""A DuckDB connection for the audit's queries: Parquet read in place, rows as dicts.

Only the named columns are read (never a shard's ``text``), and a column an older file
lacks is read as null, so one query spans files written before and after it was added.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

__all__ = ["Duck", "plain"]


class Duck:
    """One in-memory connection; queries take file lists and return plain rows."""

    def __init__(self) -> None:
        self.con = duckdb.connect(":memory:")

    def rows(self, sql: str) -> list[dict[str, Any]]:
        result = self.con.execute(sql)
        names = [d[0] for d in result.description or []]
        return [{n: plain(v) for n, v in zip(names, row, strict=True)} for row in result.fetchall()]

    def select(
        self, files: Sequence[Path], columns: Sequence[str], where: str, order: str = ""
    ) -> list[dict[str, Any]]:
        """``columns`` of ``files`` (those a file lacks are null) where ``where`` holds;
        ``filename`` is the file each row came from."""
        if not files:
            return []
        present = _columns(files)
        chosen = ", ".join(_ident(c) if c in present else f"NULL AS {_ident(c)}" for c in columns)
        source = f"read_parquet({paths_sql(files)}, union_by_name = true, filename = true)"
        tail = f" ORDER BY {order}" if order else ""
        return self.rows(f"SELECT {chosen}, filename FROM {source} WHERE {where}{tail}")

    def close(self) -> None:
        self.con.close()


def paths_sql(paths: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def plain(value: Any) -> Any:
    """A JSON-ready value: times as ISO 8601 text, bytes never leave, lists kept."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _columns(files: Sequence[Path]) -> set[str]:
    found: set[str] = set()
    for path in files:
        found.update(pq.read_schema(path).names)
    return found


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
