"""SQL over a dataset version, in place: DuckDB views on the Parquet files.

Views: ``documents`` (the shards), ``decisions`` and ``robots`` (the logs of
the crawl runs the version was built from), ``stats`` (step counters),
``duplicates`` (documents dropped as duplicates, with the document each matched)
and ``removals`` (documents removed from a parent version). A view whose files
do not exist is empty with its declared columns. There is no load step; DuckDB
reads the files where they lie. ``docs/queries.md`` documents example queries.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.dataset import MANIFEST, resolve_version
from pipeline.schema import (
    DECISION_SCHEMA,
    DUPLICATE_SCHEMA,
    REMOVAL_SCHEMA,
    ROBOTS_SCHEMA,
    STATS_SCHEMA,
)

__all__ = ["EXAMPLE_QUERIES", "VIEWS", "connect", "query"]

#: Every view :func:`connect` defines.
VIEWS = ("documents", "decisions", "robots", "stats", "duplicates", "removals")

#: Named example queries, shown by the demo and documented in the README.
EXAMPLE_QUERIES: dict[str, str] = {
    "documents by source and licence": (
        "SELECT source, coalesce(license, 'web (consented)') AS license, count(*) AS docs, "
        "sum(words) AS words FROM documents GROUP BY ALL ORDER BY docs DESC"
    ),
    "why pages were kept out of training": (
        "SELECT deciding_signal, count(*) AS urls FROM decisions "
        "WHERE stage = 'page' AND NOT may_train GROUP BY ALL ORDER BY urls DESC"
    ),
    "duplicates removed, by reason": (
        "SELECT reason, dedup_matched_version AS matched_in, count(*) AS docs "
        "FROM duplicates GROUP BY ALL ORDER BY docs DESC"
    ),
    "top hosts in the dataset": (
        "SELECT host, count(*) AS docs, round(avg(words)) AS avg_words FROM documents "
        "WHERE source = 'web' GROUP BY ALL ORDER BY docs DESC LIMIT 5"
    ),
}


def connect(dataset: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the dataset's views defined."""
    version = resolve_version(dataset)
    manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    con = duckdb.connect()
    shards = [str(version / s["path"]) for s in manifest["shards"]]
    con.execute(f"CREATE VIEW documents AS SELECT * FROM read_parquet({_list(shards)})")
    runs = [Path(run) for run in manifest.get("crawl_runs", [])]
    _log_view(
        con,
        "decisions",
        [p for r in runs for p in sorted(r.glob("decisions/*.parquet"))],
        DECISION_SCHEMA,
    )
    _log_view(
        con, "robots", [p for r in runs for p in sorted(r.glob("robots/*.parquet"))], ROBOTS_SCHEMA
    )
    for name, path, schema in (
        ("stats", version / "stats" / "stats.parquet", STATS_SCHEMA),
        ("duplicates", version / "duplicates.parquet", DUPLICATE_SCHEMA),
        ("removals", version / "removals.parquet", REMOVAL_SCHEMA),
    ):
        _log_view(con, name, [path] if path.is_file() else [], schema)
    return con


def _log_view(
    con: duckdb.DuckDBPyConnection, name: str, files: list[Path], schema: pa.Schema
) -> None:
    if files:
        source = f"read_parquet({_list([str(f) for f in files])}, union_by_name = true)"
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM {source}")
        return
    # No files (no crawl logs, nothing removed): an empty view with the same columns.
    empty = schema.empty_table()
    con.register(f"_{name}_empty", empty)
    con.execute(f"CREATE VIEW {name} AS SELECT * FROM _{name}_empty")


def _list(paths: list[str]) -> str:
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def query(dataset: Path, sql: str) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run one statement; return its column names and rows."""
    con = connect(dataset)
    try:
        result = con.execute(sql)
        columns = [d[0] for d in result.description or []]
        return columns, result.fetchall()
    finally:
        con.close()
