"""SQL over a dataset version, in place: DuckDB views on the Parquet files.

A version is a snapshot of the whole dataset (see :mod:`pipeline.lineage`). Views:
``documents`` (every document of the version), ``added`` (the documents this version
added since its parent: every document of a version written as an increment),
``removed`` (what this version removed from its parent, with the reason), ``removals``
(every removal of this version and the earlier ones), ``duplicates`` (documents dropped
as duplicates, with the document each matched, in this version's build and every
earlier one), ``exclusions`` (every document a stage-1 step dropped, with step and
reason, likewise), ``decisions`` and ``robots`` (the logs of every crawl run the dataset
knows), ``stats`` (this version's step counters) and ``sites`` (every robots.txt and
TDMRep capture the dataset knows, body included) and ``tokens`` (the index of a token
output, given as ``tokens``: one row per copy of a document in its token files, see
docs/tokens.md). The views over several versions have a
``version`` column saying which. A view whose files do not exist is empty with its
declared columns. There is no load step; DuckDB reads the files where they lie, and
only those files: the connection is read-only and sandboxed (:mod:`pipeline.sql_sandbox`)
unless the caller asks otherwise. ``docs/queries.md`` documents example queries.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.dataset import resolve_version
from pipeline.errors import DatasetError, QueryRefused
from pipeline.integrity import size_problems
from pipeline.lineage import VersionView, crawl_runs, read_manifest, view
from pipeline.schema import DUPLICATE_SCHEMA, REMOVAL_SCHEMA, SITE_CAPTURE_SCHEMA, STATS_SCHEMA
from pipeline.sites import SITES_FILE
from pipeline.sql_sandbox import lock_down, open_connection, read_statements
from pipeline.tokens.schema import INDEX_SCHEMA
from record.schema import DECISION_SCHEMA, EXCLUSION_SCHEMA, ROBOTS_SCHEMA

__all__ = [
    "DUPLICATES_VIEW_SCHEMA",
    "EXAMPLE_QUERIES",
    "EXCLUSIONS_VIEW_SCHEMA",
    "REMOVALS_VIEW_SCHEMA",
    "VIEWS",
    "connect",
    "query",
]

#: Every view :func:`connect` defines.
VIEWS = (
    "documents",
    "added",
    "removed",
    "decisions",
    "robots",
    "stats",
    "duplicates",
    "removals",
    "sites",
    "exclusions",
    "tokens",
)

_VERSION = pa.field("version", pa.string())
#: The views over the lineage's per-version tables: each row named by its version.
EXCLUSIONS_VIEW_SCHEMA = EXCLUSION_SCHEMA.insert(0, _VERSION)
DUPLICATES_VIEW_SCHEMA = DUPLICATE_SCHEMA.insert(0, _VERSION)
REMOVALS_VIEW_SCHEMA = REMOVAL_SCHEMA.insert(0, _VERSION)

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
    "what this version added and removed": (
        "SELECT 'added' AS change, count(*) AS docs FROM added "
        "UNION ALL SELECT 'removed: ' || reason, count(*) FROM removed GROUP BY reason"
    ),
    "top hosts in the dataset": (
        "SELECT host, count(*) AS docs, round(avg(words)) AS avg_words FROM documents "
        "WHERE source = 'web' GROUP BY ALL ORDER BY docs DESC LIMIT 5"
    ),
}


def connect(
    dataset: Path,
    *,
    version: str | None = None,
    allow_external: bool = False,
    tokens: Path | None = None,
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the views of one version defined.

    ``dataset`` is a dataset folder (its latest version, or ``version`` by name, e.g.
    ``v0002``) or a version folder; ``tokens`` a token output whose index the ``tokens``
    view reads (empty without). Sandboxed (see :mod:`pipeline.sql_sandbox`) unless
    ``allow_external``. A version whose files are missing or differ in size from its
    manifest is refused.
    """
    folder = resolve_version(dataset, version)
    snapshot = view(folder)
    _check_sizes(dataset, snapshot)
    con = open_connection(allow_external=allow_external)
    readable = _define_views(con, snapshot)
    readable += _token_view(con, tokens)
    if not allow_external:
        lock_down(con, readable)
    return con


def _check_sizes(dataset: Path, snapshot: VersionView) -> None:
    """The version's files (for an increment, its lineage's too) match their manifests."""
    folders = [snapshot.folder] if snapshot.format >= 2 else list(snapshot.lineage)
    for folder in folders:
        manifest = snapshot.manifest if folder == snapshot.folder else read_manifest(folder)
        problems = size_problems(folder, manifest)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise DatasetError(
                f"{folder}: {problems[0]}{more}; the files do not match the manifest, "
                f"run `gleaner verify {dataset}`"
            )


def _define_views(con: duckdb.DuckDBPyConnection, snapshot: VersionView) -> list[Path]:
    """Create every view; return the files they read (all the sandbox lets DuckDB open)."""
    shards, added = list(snapshot.shards), list(snapshot.added_shards)
    con.execute(f"CREATE VIEW documents AS SELECT * FROM read_parquet({_list(shards)})")
    con.execute(f"CREATE VIEW added AS {_documents(added)}")
    runs = crawl_runs(snapshot)
    here = snapshot.folder
    sources = [
        ("decisions", _run_files(runs, "decisions"), DECISION_SCHEMA),
        ("robots", _run_files(runs, "robots"), ROBOTS_SCHEMA),
        ("stats", _present(here / "stats" / "stats.parquet"), STATS_SCHEMA),
        ("removed", _present(here / "removals.parquet"), REMOVAL_SCHEMA),
        ("sites", _present(here / SITES_FILE), SITE_CAPTURE_SCHEMA),
    ]
    for name, files, schema in sources:
        _log_view(con, name, files, schema)
    histories = [
        ("duplicates", snapshot.history("duplicates.parquet"), DUPLICATES_VIEW_SCHEMA),
        ("removals", snapshot.history("removals.parquet"), REMOVALS_VIEW_SCHEMA),
        ("exclusions", snapshot.history("exclusions/*.parquet"), EXCLUSIONS_VIEW_SCHEMA),
    ]
    for name, found, schema in histories:
        _history_view(con, name, found, schema)
    logs = [f for _, files, _ in sources for f in files]
    return shards + logs + [f for _, found, _ in histories for _, f in found]


def _token_view(con: duckdb.DuckDBPyConnection, tokens: Path | None) -> list[Path]:
    """The ``tokens`` view over a token output's index files; return them."""
    files = sorted((tokens / "index").glob("*.parquet")) if tokens is not None else []
    if tokens is not None and not files:
        raise DatasetError(f"{tokens}: not a token output (no index/*.parquet)")
    _log_view(con, "tokens", files, INDEX_SCHEMA)
    return files


def _documents(files: list[Path]) -> str:
    # A version that added nothing (a removal) has no added shard: the view is then empty.
    if files:
        return f"SELECT * FROM read_parquet({_list(files)})"
    return "SELECT * FROM documents LIMIT 0"


def _history_view(
    con: duckdb.DuckDBPyConnection, name: str, files: list[tuple[str, Path]], schema: pa.Schema
) -> None:
    # union_by_name: an older version's table may lack a newer column (read as null).
    con.register(f"_{name}_empty", schema.empty_table())
    view_sql = f"SELECT * FROM _{name}_empty"
    for owner in sorted({owner for owner, _ in files}):
        paths = [path for version, path in files if version == owner]
        source = f"read_parquet({_list(paths)}, union_by_name = true)"
        view_sql += f" UNION ALL BY NAME SELECT '{owner}' AS version, * FROM {source}"
    con.execute(f"CREATE VIEW {name} AS {view_sql}")


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
    dataset: Path,
    sql: str,
    *,
    version: str | None = None,
    allow_external: bool = False,
    tokens: Path | None = None,
) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run the statement(s) in ``sql``; return the last one's column names and rows.

    Raises :class:`~pipeline.errors.QueryRefused` for an empty statement, and for a
    statement that is not a read unless ``allow_external``.
    """
    con = connect(dataset, version=version, allow_external=allow_external, tokens=tokens)
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
