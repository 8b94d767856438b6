"""Duplicate grouping as executor tasks: one task per key column, the union in the driver.

    keys files -> one task per key column (text_hash, url_hash, band_00, ...): DuckDB
    groups that column over every keys file -> its ``(first doc, doc)`` edges
    -> band candidates confirmed (below) -> the driver unions every edge

A task returns its edges inline when they are few (up to ``INLINE_PAIRS`` rows, 16 MiB,
through Ray's object store on a cluster) and otherwise writes them to a scratch
``.npy`` that the driver memory-maps and unions a batch at a time: one band of a
100M-document build can hold tens of millions of pairs, more than an object store
should carry or the driver hold at once. Tasks need the build's scratch folder at the
same path, as the keys tasks already do.

Confirmation gives the same pairs wherever it runs, so it runs in tasks too.
``signature``: in the band's own task (signatures are memory-mapped scratch files).
``exact``: it needs the shingle sets of every document in some band's candidates,
which only all bands' candidates together name, so two more rounds follow: one task
per work file writes the shingle sets of its wanted documents, then one per band
confirms its candidates against them (bands with few candidates share a task, which
measures a pair many bands found once). Each set is computed once, and no process
holds them all.

Small builds on the local executor run the same jobs in the driver's process, one job
for all columns (one DuckDB connection on every core): worker start-up would cost
more than the grouping itself.

The clusters depend only on the set of edges (the union-find's roots are each set's
smallest member), so the order in which tasks finish never shows in the plan.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq

from pipeline.dedup.cluster import connect_scratch, edges
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.confirm_shingles import ShingleJob, ShingleStore, write_shingles
from pipeline.dedup.confirm_signatures import SignatureStore
from pipeline.dedup.keys import band_column
from pipeline.parallel import Executor

__all__ = [
    "CONFIRM_TASK_PAIRS",
    "INLINE_PAIRS",
    "ColumnJob",
    "ConfirmJob",
    "Edges",
    "group",
    "key_columns",
]

I64 = npt.NDArray[np.int64]
T = TypeVar("T")

INLINE_PAIRS = 1 << 20  # edges a task returns as an array; more go to a scratch file
_BATCH = 1 << 17  # edges unioned (or confirmed) at once
CONFIRM_TASK_PAIRS = 1 << 17  # candidates below which bands share a confirming task


@dataclass(frozen=True, slots=True, eq=False)
class Edges:
    """One key column's edges (confirmed, for a band) and how many candidates it had."""

    column: str
    candidates: int
    count: int
    pairs: I64 | None = None  # inline, shape (count, 2)
    path: Path | None = None  # or a scratch .npy of that shape

    @property
    def kind(self) -> str:
        """``band``, ``text`` or ``url``: the stats' name for the column."""
        return "band" if self.column.startswith("band_") else self.column.removesuffix("_hash")

    def batches(self) -> Iterator[I64]:
        data = self.pairs if self.path is None else np.load(self.path, mmap_mode="r")
        if data is None:
            return
        for start in range(0, len(data), _BATCH):
            yield np.asarray(data[start : start + _BATCH])


@dataclass(frozen=True, slots=True)
class ColumnJob:
    """Group key columns over every keys file; confirm bands by signature when asked."""

    columns: tuple[str, ...]  # one per task, or all of them in the driver's process
    keys: tuple[Path, ...]
    scratch: Path
    memory_limit: str
    threads: int = 0  # DuckDB threads; 0: every core (in the driver's own process)
    jaccard: float | None = None  # signature confirmation threshold for bands


@dataclass(frozen=True, slots=True, eq=False)
class ConfirmJob:
    """Keep the band candidates whose exact shingle Jaccard reaches ``jaccard``."""

    candidates: tuple[Edges, ...]  # one band per task, or all of them in the driver
    shingles: tuple[Path, ...]
    scratch: Path
    jaccard: float


def key_columns(config: DedupConfig) -> list[str]:
    """The key columns to group, in a fixed order: exact text, URL, then each band."""
    columns = ["text_hash"] + (["url_hash"] if config.urls else [])
    if config.near:
        columns += [band_column(b) for b in range(config.minhash.bands)]
    return columns


def column_edges(job: ColumnJob) -> list[Edges]:
    """The task of key columns: their edges, bands signature-confirmed if asked."""
    con = connect_scratch(job.scratch / f"duckdb-{job.columns[0]}", job.memory_limit)
    if job.threads:
        con.execute(f"SET threads = {int(job.threads)}")
    store = None
    if job.jaccard is not None:
        store = SignatureStore([k.with_suffix(".npy") for k in job.keys])
    try:
        return [_column_edges(con, job, column, store) for column in job.columns]
    finally:
        con.close()


def _column_edges(
    con: duckdb.DuckDBPyConnection, job: ColumnJob, column: str, store: SignatureStore | None
) -> Edges:
    parts, candidates = [], 0
    for pairs in edges(con, job.keys, column):
        candidates += len(pairs)
        if store is not None and job.jaccard is not None and column.startswith("band_"):
            pairs = pairs[store.similarity(pairs) >= job.jaccard]
        parts.append(pairs)
    return _edges(column, candidates, parts, job.scratch / f"edges-{column}.npy")


def confirm_edges(job: ConfirmJob) -> list[Edges]:
    """The task confirming bands' candidates on their exact shingle sets."""
    store = ShingleStore(job.shingles)
    if len(job.candidates) > 1:
        return _confirm_together(job, store)
    found = job.candidates[0]
    parts = [p[store.similarity(p) >= job.jaccard] for p in found.batches()]
    return [_edges(found.column, found.candidates, parts, _spill(job, found))]


def _confirm_together(job: ConfirmJob, store: ShingleStore) -> list[Edges]:
    """Several bands in one task: a pair that many bands found (most near-duplicates are
    found by most bands) is measured once."""
    every = [np.concatenate([*b.batches(), np.empty((0, 2), np.int64)]) for b in job.candidates]
    unique, inverse = np.unique(np.concatenate(every), axis=0, return_inverse=True)
    passed = (store.similarity(unique) >= job.jaccard)[inverse.ravel()]
    bounds = np.cumsum([0, *(len(pairs) for pairs in every)])
    return [
        _edges(b.column, b.candidates, [pairs[passed[lo:hi]]], _spill(job, b))
        for b, pairs, lo, hi in zip(job.candidates, every, bounds[:-1], bounds[1:], strict=True)
    ]


def _spill(job: ConfirmJob, found: Edges) -> Path:
    return job.scratch / f"confirmed-{found.column}.npy"


def _edges(column: str, candidates: int, parts: list[I64], spill: Path) -> Edges:
    pairs = np.concatenate(parts) if parts else np.empty((0, 2), dtype=np.int64)
    if len(pairs) <= INLINE_PAIRS:
        return Edges(column, candidates, len(pairs), pairs=pairs)
    np.save(spill, pairs)
    return Edges(column, candidates, len(pairs), path=spill)


def group(
    keys: Sequence[Path],
    work_files: Sequence[Path],
    config: DedupConfig,
    scratch: Path,
    executor: Executor,
    split: bool = True,
) -> Iterator[Edges]:
    """Every key column's confirmed edges, grouped on ``executor``: with ``split``, one
    task per column (and per work file and band to confirm), else one task for all."""
    scratch.mkdir(parents=True, exist_ok=True)
    columns = key_columns(config)
    signature = config.near and config.confirm == "signature"
    jobs = [
        ColumnJob(
            part,
            tuple(keys),
            scratch,
            config.memory_limit,
            threads=1 if split else 0,  # a task has one CPU; the driver's process them all
            jaccard=config.jaccard if signature else None,
        )
        for part in _parts(columns, split)
    ]
    found = [e for edges in executor.map(column_edges, jobs) for e in edges]
    if not (config.near and config.confirm == "exact"):
        yield from found
        return
    yield from (e for e in found if e.kind != "band")
    bands = [e for e in found if e.kind == "band"]
    wanted = _shingle_jobs(bands, work_files, config, scratch)
    shingles = tuple(executor.map(write_shingles, wanted))
    parts = _packed(bands) if split else _parts(bands, split)
    confirms = [ConfirmJob(part, shingles, scratch, config.jaccard) for part in parts]
    for confirmed in executor.map(confirm_edges, confirms):
        yield from confirmed


def _parts(items: Sequence[T], split: bool) -> list[tuple[T, ...]]:
    return [(item,) for item in items] if split else [tuple(items)] if items else []


def _packed(bands: Sequence[Edges]) -> list[tuple[Edges, ...]]:
    """Bands to confirm, a task each, but bands with few candidates share one (a task's
    start costs more than measuring them, and a shared task measures a pair once)."""
    parts: list[tuple[Edges, ...]] = []
    for band in bands:
        if parts and sum(b.count for b in parts[-1]) < CONFIRM_TASK_PAIRS:
            parts[-1] += (band,)
        else:
            parts.append((band,))
    return parts


def _shingle_jobs(
    bands: Sequence[Edges], work_files: Sequence[Path], config: DedupConfig, scratch: Path
) -> list[ShingleJob]:
    """One job per work file holding a document of some band candidate."""
    sizes = [pq.ParquetFile(path).metadata.num_rows for path in work_files]
    marked = np.zeros(sum(sizes), dtype=bool)  # one byte a document, never one per pair
    for band in bands:
        for pairs in band.batches():
            marked[pairs.ravel()] = True
    wanted = np.flatnonzero(marked).astype(np.int64)
    jobs, first = [], 0
    for i, (path, rows) in enumerate(zip(work_files, sizes, strict=True)):
        lo, hi = np.searchsorted(wanted, [first, first + rows])
        if hi > lo:
            out = scratch / f"shingles-{i:05d}.npy"
            jobs.append(ShingleJob(path, first, wanted[lo:hi], out, config.minhash.ngram))
        first += rows
    return jobs
