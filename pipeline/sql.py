"""SQL over a dataset version, in place: DuckDB views on the Parquet files.

Views: ``documents`` (the shards), ``decisions`` and ``robots`` (the logs of
the crawl runs the version was built from), ``stats`` (step counters),
``duplicates`` (documents dropped as duplicates, with the document each matched),
``removals`` (documents removed from a parent version), ``sites`` (every
robots.txt and TDMRep capture the build's consent gate knew, body included) and
``exclusions`` (every document a stage-1 step dropped, with step and reason, in this
version and every earlier one, its ``version`` column saying which). A view whose files
do not exist is empty with its declared columns. There is no load step; DuckDB
reads the files where they lie, and only those files: the connection is
read-only and sandboxed (:mod:`pipeline.sql_sandbox`) unless the caller asks
otherwise. ``docs/queries.md`` documents example queries.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipeline.dataset import MANIFEST, resolve_version
from pipeline.errors import DatasetError, QueryRefused
from pipeline.integrity import size_problems
from pipeline.schema import DUPLICATE_SCHEMA, REMOVAL_SCHEMA, SITE_CAPTURE_SCHEMA, STATS_SCHEMA
from pipeline.sites import SITES_FILE
from pipeline.sql_sandbox import lock_down, open_connection, read_statements
from record.schema import DECISION_SCHEMA, EXCLUSION_SCHEMA, ROBOTS_SCHEMA

__all__ = ["EXAMPLE_QUERIES", "EXCLUSIONS_VIEW_SCHEMA", "VIEWS", "connect", "query"]

#: Every view :func:`connect` defines.
VIEWS = (
    "documents",
    "decisions",
    "robots",
    "stats",
    "duplicates",
    "removals",
    "sites",
    "exclusions",
)

#: The ``exclusions`` view: a version's exclusion files, named by the version.
EXCLUSIONS_VIEW_SCHEMA = EXCLUSION_SCHEMA.insert(0, pa.field("version", pa.string()))

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


def connect(dataset: Path, *, allow_external: bool = False) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the dataset's views defined.

    Sandboxed (see :mod:`pipeline.sql_sandbox`) unless ``allow_external``. A version
    whose files are missing or differ in size from its manifest is refused.
    """
    version = resolve_version(dataset)
    manifest = _checked_manifest(dataset, version)
    con = open_connection(allow_external=allow_external)
    readable = _define_views(con, version, manifest)
    if not allow_external:
        lock_down(con, readable)
    return con


def _checked_manifest(dataset: Path, version: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{version / MANIFEST}: unreadable ({exc}); run gleaner verify") from exc
    problems = size_problems(version, manifest) if isinstance(manifest, dict) else ["no shards"]
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DatasetError(
            f"{version}: {problems[0]}{more}; the files do not match the manifest, "
            f"run `gleaner verify {dataset}`"
        )
    return dict(manifest)


def _define_views(
    con: duckdb.DuckDBPyConnection, version: Path, manifest: dict[str, Any]
) -> list[Path]:
    """Create every view; return the files they read (all the sandbox lets DuckDB open)."""
    shards = [version / s["path"] for s in manifest["shards"]]
    con.execute(f"CREATE VIEW documents AS SELECT * FROM read_parquet({_list(shards)})")
    runs = [Path(run) for run in manifest.get("crawl_runs", [])]
    sources = [
        ("decisions", _run_files(runs, "decisions"), DECISION_SCHEMA),
        ("robots", _run_files(runs, "robots"), ROBOTS_SCHEMA),
        ("stats", _present(version / "stats" / "stats.parquet"), STATS_SCHEMA),
        ("duplicates", _present(version / "duplicates.parquet"), DUPLICATE_SCHEMA),
        ("removals", _present(version / "removals.parquet"), REMOVAL_SCHEMA),
        ("sites", _present(version / SITES_FILE), SITE_CAPTURE_SCHEMA),
    ]
    for name, files, schema in sources:
        _log_view(con, name, files, schema)
    exclusions = _exclusion_files(version)
    _exclusions_view(con, exclusions)
    return shards + [f for _, files, _ in sources for f in files] + [f for _, f in exclusions]


def _exclusion_files(version: Path) -> list[tuple[str, Path]]:
    """``(version name, file)`` for the exclusion files of this version and earlier ones."""
    number = _number(version.name)
    return [
        (path.parent.parent.name, path)
        for path in sorted(version.parent.glob("v*/exclusions/*.parquet"))
        if 0 <= _number(path.parent.parent.name) <= number
    ]


def _number(name: str) -> int:
    # A version folder outside a dataset (a copy named otherwise) has only its own files.
    return int(name[1:]) if name[:1] == "v" and name[1:].isdigit() else -1


def _exclusions_view(con: duckdb.DuckDBPyConnection, files: list[tuple[str, Path]]) -> None:
    con.register("_exclusions_empty", EXCLUSIONS_VIEW_SCHEMA.empty_table())
    view = "SELECT * FROM _exclusions_empty"
    for name in sorted({name for name, _ in files}):
        paths = [path for owner, path in files if owner == name]
        source = f"read_parquet({_list(paths)}, union_by_name = true)"
        view += f" UNION ALL BY NAME SELECT '{name}' AS version, * FROM {source}"
    con.execute(f"CREATE VIEW exclusions AS {view}")


def _run_files(runs: list[Path], log: str) -> list[Path]:
    return [p for run in runs for p in sorted(run.glob(f"{log}/*.parquet"))]


def _present(path: Path) -> list[Path]:
    return [path] if path.is_file() else []


def _log_view(
    con: duckdb.DuckDBPyConnection, name: str, files: list[Path], schema: pa.Schema
) -> None:
    # Every view has its declared columns: with no files (no crawl logs, nothing removed)
    # it is empty, and a file older than a column (a decision log from before ``outcome``)
    # reads that column as null.
    con.register(f"_{name}_empty", schema.empty_table())
    view = f"SELECT * FROM _{name}_empty"
    if files:
        source = f"read_parquet({_list(files)}, union_by_name = true)"
        view += f" UNION ALL BY NAME SELECT * FROM {source}"
    con.execute(f"CREATE VIEW {name} AS {view}")


def _list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def query(
    dataset: Path, sql: str, *, allow_external: bool = False
) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run the statement(s) in ``sql``; return the last one's column names and rows.

    Raises :class:`~pipeline.errors.QueryRefused` for an empty statement, and for a
    statement that is not a read unless ``allow_external``.
    """
    con = connect(dataset, allow_external=allow_external)
    try:
        if not con.extract_statements(sql):
            raise QueryRefused("empty statement: nothing to run")
        texts = [sql] if allow_external else [s.query for s in read_statements(con, sql)]
        *before, last = texts
        for text in before:
            con.execute(text)
        result = con.execute(last)
        columns = [d[0] for d in result.description or []]
        return columns, result.fetchall()
    finally:
        con.close()
