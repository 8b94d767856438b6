"""A read-only DuckDB over named Parquet files, for the report's queries.

The report reads the files lineage names (a snapshot's shards, every crawl run's logs, each
version's per-version tables), never a glob of the folder, and opens DuckDB the way
``gleaner sql`` does: nothing but those files readable, no extension loaded, nothing fetched.
Files of different versions are read by column name, so a column added later (a removal's
``request``, a duplicate's full row) reads as null in older files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from pipeline.errors import DatasetError
from pipeline.sql_sandbox import lock_down, open_connection

__all__ = ["Files", "Group", "open_files"]

#: A group of files: plain paths, or ``(version name, path)`` to get a ``version`` column.
Group = list[Path] | list[tuple[str, Path]]


class Files:
    """Named groups of Parquet files as DuckDB relations."""

    def __init__(self, con: duckdb.DuckDBPyConnection, groups: dict[str, Group]) -> None:
        self._con = con
        self._groups = groups

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run ``sql``, where ``{name}`` stands for a group; a query over a group with no
        file (no crawl, nothing removed yet) has no rows."""
        used = [name for name in self._groups if "{" + name + "}" in sql]
        if any(not self._groups[name] for name in used):
            return []
        sources = {name: _source(self._groups[name]) for name in used}
        try:
            return self._con.execute(sql.format(**sources), list(params)).fetchall()
        except duckdb.Error as exc:  # a listed file gone or damaged since it was written
            first = str(exc).splitlines()[0]
            raise DatasetError(f"{first}; run gleaner verify on the dataset") from exc

    def close(self) -> None:
        self._con.close()


def open_files(groups: dict[str, Group]) -> Files:
    con = open_connection(allow_external=False)
    lock_down(con, [_path(item) for files in groups.values() for item in files])
    return Files(con, groups)


def _path(item: Path | tuple[str, Path]) -> Path:
    return item[1] if isinstance(item, tuple) else item


def _source(files: Group) -> str:
    plain = [item for item in files if isinstance(item, Path)]
    if len(plain) == len(files):
        names = ", ".join(_literal(str(f)) for f in plain)
        return f"read_parquet([{names}], union_by_name = true)"
    parts = [
        f"SELECT {_literal(item[0])} AS version, * FROM read_parquet({_literal(str(item[1]))})"
        for item in files
        if isinstance(item, tuple)
    ]
    return "(" + " UNION ALL BY NAME ".join(parts) + ")"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
