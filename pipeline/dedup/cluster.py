"""Clusters of duplicates: candidate edges per key, joined by a union-find over doc numbers.

Memory stays bounded by partitioning the work by key: for one band (or the exact
text hash, or the URL) at a time, DuckDB groups the ``(key, doc)`` pairs of every
keys file -- out of core, on all cores, spilling past ``memory_limit`` -- and
streams back one edge per extra member of a group (``first doc -> doc``). The
union-find holds one integer per document; no process ever holds all pairs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

__all__ = ["UnionFind", "arrow_batches", "connect_scratch", "edges", "parquet_list"]

I64 = npt.NDArray[np.int64]

_EDGE_BATCH = 1 << 17


class UnionFind:
    """Disjoint sets over ``0..n-1``; a set's root is always its smallest member."""

    def __init__(self, n: int) -> None:
        self.parent: I64 = np.arange(n, dtype=np.int64)

    def find(self, nodes: I64) -> I64:
        roots = self.parent[nodes]
        while True:
            up = self.parent[roots]
            if np.array_equal(up, roots):
                self.parent[nodes] = roots  # path compression for the next call
                return roots
            roots = up

    def union(self, a: I64, b: I64) -> None:
        """Merge the sets of each pair ``(a[i], b[i])``, vectorised over the batch."""
        while len(a):
            ra, rb = self.find(a), self.find(b)
            apart = ra != rb
            lo, hi = np.minimum(ra, rb)[apart], np.maximum(ra, rb)[apart]
            np.minimum.at(self.parent, hi, lo)
            a, b = lo, hi  # re-check: another pair in the batch may have claimed ``hi``

    def roots(self) -> I64:
        """The root of every node (fully compressed)."""
        return self.find(np.arange(len(self.parent), dtype=np.int64))


def connect_scratch(scratch: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection that spills to ``scratch`` beyond ``memory_limit``."""
    scratch.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{_quote(str(scratch))}'")
    return con


def parquet_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join(f"'{_quote(str(p))}'" for p in paths) + "]"


def _quote(text: str) -> str:
    return text.replace("'", "''")


def arrow_batches(
    con: duckdb.DuckDBPyConnection, sql: str, size: int = 1 << 17
) -> Iterator[pa.RecordBatch]:
    """Stream a query's result as Arrow batches (DuckDB 2 renamed the method)."""
    relation = con.sql(sql)
    name = "to_arrow_reader" if hasattr(relation, "to_arrow_reader") else "record_batch"
    yield from getattr(relation, name)(size)


def edges(con: duckdb.DuckDBPyConnection, keys: Sequence[Path], column: str) -> Iterator[I64]:
    """Stream ``(first doc, doc)`` edges, shape (n, 2), for every group sharing ``column``."""
    sql = f"""
        WITH k AS (SELECT doc, {column} AS h FROM read_parquet({parquet_list(keys)})
                   WHERE {column} IS NOT NULL),
             g AS (SELECT h, min(doc) AS first FROM k GROUP BY h HAVING count(*) > 1)
        SELECT g.first, k.doc FROM k JOIN g USING (h) WHERE k.doc <> g.first
    """
    for batch in arrow_batches(con, sql, _EDGE_BATCH):
        first = batch.column(0).to_numpy().astype(np.int64)
        doc = batch.column(1).to_numpy().astype(np.int64)
        yield np.stack([first, doc], axis=1)
