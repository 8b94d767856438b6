"""The dedup step of stage 2: plan clusters from the keys, then stream the survivors.

    keys (parallel, per work file) -> edges (parallel, one task per key column,
    see :mod:`pipeline.dedup.grouping`) -> union-find
    -> matches in the parent version (its index) -> survivors
    -> stream work files in priority order, yield survivors, record the dropped

Every dropped document is counted under its reason and written to
``duplicates.parquet`` with the document it matched (id and version).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dedup.cluster import UnionFind, connect_scratch
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.grouping import group
from pipeline.dedup.keys import KeysJob, write_keys
from pipeline.dedup.plan import DedupPlan, Ranking, choose_survivors, load_ranking
from pipeline.dedup.sink import DuplicateSink, drop_reason
from pipeline.dedup.version_index import EarlierIndex, match_earlier, write_index
from pipeline.document import Document
from pipeline.parallel import Executor, LocalExecutor
from pipeline.shards import read_batches, read_documents, row_to_document
from pipeline.step import Step
from record.schema import DOCUMENT_SCHEMA

__all__ = ["Dedup"]

_PARALLEL_FROM = 5_000  # documents
# With stage-1 sketches a keys file reads no text (~10 us a document): worker start-up
# (imports, ~2 s each) pays only on much larger builds.
_PARALLEL_FROM_SKETCHED = 250_000
# Grouping reads only the small keys files, and in this process DuckDB uses every core and
# spills past its memory limit: at 100,000 documents it took ~5 s here against 12-15 s as
# local tasks (three pool start-ups, one DuckDB thread each, per task memory limits). On one
# machine tasks pay only far beyond the million documents the 2 GiB goal is measured at.
_GROUP_PARALLEL_FROM = 5_000_000  # documents
_TABLE_ROWS = 10_000  # rows per table tables() yields


def _parallel_from(sketched: bool) -> int:
    return _PARALLEL_FROM_SKETCHED if sketched else _PARALLEL_FROM


class Dedup(Step):
    """Exact (normalised text), URL and MinHash near-duplicate removal; licensed wins."""

    name = "dedup"

    def __init__(
        self,
        work_files: Sequence[Path],
        *,
        scratch: Path,
        version: str = "v0001",
        config: DedupConfig | None = None,
        earlier: Sequence[EarlierIndex] = (),
        workers: int = 1,
        duplicates: Path | None = None,
        executor: Executor | None = None,
    ) -> None:
        super().__init__()
        self.work_files = list(work_files)
        self.scratch = scratch
        self.version = version
        self.config = config or DedupConfig()
        self.earlier = list(earlier)
        self.workers = workers
        self.duplicates = duplicates
        self.executor = executor or LocalExecutor(workers)
        self.keys: list[Path] = []
        self.plan: DedupPlan | None = None

    def __call__(self, docs: Iterator[Document] | None = None) -> Iterator[Document]:
        plan, ranking = self.make_plan()
        sink = DuplicateSink(self.duplicates)
        doc_number = 0
        for path in self.work_files:
            for doc in read_documents(path):
                self.stats.seen()
                if self._keep(doc, doc_number, plan, ranking, sink):
                    yield doc
                doc_number += 1
        sink.close()

    def tables(self) -> Iterator[pa.Table]:
        """The survivors as Arrow tables of shard rows, cluster columns filled: the rows
        iterating the step gives, without a Document per row (only the dropped, few, get
        one, for the duplicates file). The step's own time is counted in ``time_ms``."""
        clock = time.perf_counter()
        plan, ranking = self.make_plan()
        sink = DuplicateSink(self.duplicates)
        first = 0
        for path in self.work_files:
            for batch in read_batches(path, _TABLE_ROWS):
                table = self._survivors(batch, first, plan, ranking, sink)
                first += batch.num_rows
                self.stats.add("time_ms", round((time.perf_counter() - clock) * 1000))
                yield table
                clock = time.perf_counter()
        sink.close()
        self.stats.add("time_ms", round((time.perf_counter() - clock) * 1000))

    def _survivors(
        self,
        batch: pa.RecordBatch,
        first: int,
        plan: DedupPlan,
        ranking: Ranking,
        sink: DuplicateSink,
    ) -> pa.Table:
        span = slice(first, first + batch.num_rows)
        keep = plan.keep[span]
        for i in np.flatnonzero(~keep).tolist():  # counted and written one by one, as ever
            self.stats.seen()
            self._keep(
                row_to_document(batch.slice(i, 1).to_pylist()[0]), first + i, plan, ranking, sink
            )
        kept = int(keep.sum())
        if kept:
            self.stats.add("total", kept)
            self.stats.add("kept", kept)
        table = pa.Table.from_batches([batch]).filter(pa.array(keep))
        columns = {
            "dup_cluster_id": ranking.ids.take(pa.array(plan.survivor[span][keep])),
            "dup_cluster_size": pa.array(plan.size[span][keep], type=pa.int32()),
        }
        arrays = [columns.get(f.name, table.column(f.name)) for f in DOCUMENT_SCHEMA]
        return pa.Table.from_arrays(arrays, schema=DOCUMENT_SCHEMA)

    def make_plan(self) -> tuple[DedupPlan, Ranking]:
        """Keys, clusters and survivors; no document text is held."""
        self.keys = self._write_keys()
        ranking = load_ranking(self.keys)
        n = len(ranking.chars)
        forest = UnionFind(n)
        matched = np.full(n, -1, dtype=np.int64)
        refs: list[tuple[str, str]] = []
        if n:
            self._cluster(forest)
        con = connect_scratch(self.scratch / "duckdb", self.config.memory_limit)
        try:
            if n:
                matched, refs = match_earlier(con, self.keys, n, self.earlier)
        finally:
            con.close()
        self.plan = choose_survivors(forest.roots(), ranking, self.config.prefer, matched, refs)
        return self.plan, ranking

    def write_index(self, path: Path, before: Sequence[Path] = ()) -> int:
        """Persist the index of the whole version for later builds: the rows of the
        ``before`` index files (the parent's), then the kept documents' keys; return the
        bytes written."""
        if self.plan is None:
            raise RuntimeError("write_index() before the step has run")
        minhash, near = self.config.minhash, self.config.near
        return write_index(self.keys, self.plan.keep, path, minhash, near, before)

    def _cluster(self, forest: UnionFind) -> None:
        """Union every confirmed pair; each key column is grouped by a task of its own."""
        where = self._grouping(len(forest.parent))
        for found in group(self.keys, self.work_files, self.config, *where):
            self.stats.add(f"grouped/{found.kind}", 1)  # key columns, whichever task ran them
            if found.candidates:
                self.stats.add(f"pairs/{found.kind}/candidates", found.candidates)
                self.stats.add(f"pairs/{found.kind}/confirmed", found.count)
            for pairs in found.batches():
                forest.union(pairs[:, 0], pairs[:, 1])

    def _grouping(self, n: int) -> tuple[Path, Executor, bool]:
        """Scratch, executor and whether to split: small builds group in this process
        (DuckDB on every core), as they key; larger ones a task per column."""
        scratch = self.scratch / "groups"
        if self.executor.children and n < _GROUP_PARALLEL_FROM:
            return scratch, LocalExecutor(1), False
        return scratch, self.executor, True

    def _write_keys(self) -> list[Path]:
        jobs, first = [], 0
        self.scratch.mkdir(parents=True, exist_ok=True)
        for i, path in enumerate(self.work_files):
            keys_file = self.scratch / f"keys-{i:05d}.parquet"
            jobs.append(KeysJob(path, keys_file, first, self.config))
            first += pq.ParquetFile(path).metadata.num_rows
        # Starting local worker processes costs ~1 s: small builds key in this process,
        # unless the build's workers are up already.
        sketched = self.config.near and all(job.sketched for job in jobs)
        if self.executor.starts_per_map and first < _parallel_from(sketched):
            return [write_keys(job) for job in jobs]
        return self.executor.map(write_keys, jobs)

    def _keep(
        self, doc: Document, number: int, plan: DedupPlan, ranking: Ranking, sink: DuplicateSink
    ) -> bool:
        survivor = int(plan.survivor[number])
        doc.dup_cluster_id = str(ranking.ids[survivor])
        doc.dup_cluster_size = int(plan.size[number])
        if bool(plan.keep[number]):
            self.stats.kept()
            return True
        earlier = int(plan.earlier[number])
        if earlier >= 0:
            version, matched = plan.earlier_refs[earlier]
            reason = "duplicate_of_earlier_version"
        else:
            version, matched = self.version, doc.dup_cluster_id
            reason = drop_reason(ranking, number, survivor)
        self.stats.dropped(reason)
        sink.add(doc, reason, matched, version)
        return False
