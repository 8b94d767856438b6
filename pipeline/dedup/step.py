"""The dedup step of stage 2: plan clusters from the keys, then stream the survivors.

    keys (parallel, per work file) -> edges per key (DuckDB, one key at a time)
    -> union-find -> earlier-version matches (the dataset's index) -> survivors
    -> stream work files in priority order, yield survivors, record the dropped

Every dropped document is counted under its reason and written to
``duplicates.parquet`` with the document it matched (id and version).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from pipeline.dedup.cluster import I64, UnionFind, connect_scratch, edges
from pipeline.dedup.config import DedupConfig
from pipeline.dedup.keys import KeysJob, band_column, write_keys
from pipeline.dedup.plan import DedupPlan, Ranking, choose_survivors, load_ranking
from pipeline.dedup.signatures import SignatureStore
from pipeline.dedup.sink import DuplicateSink, drop_reason
from pipeline.document import Document
from pipeline.index import EarlierIndex, match_earlier, write_index
from pipeline.shards import read_documents
from pipeline.step import Step

__all__ = ["Dedup"]


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
    ) -> None:
        super().__init__()
        self.work_files = list(work_files)
        self.scratch = scratch
        self.version = version
        self.config = config or DedupConfig()
        self.earlier = list(earlier)
        self.workers = workers
        self.duplicates = duplicates
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

    def make_plan(self) -> tuple[DedupPlan, Ranking]:
        """Keys, clusters and survivors; no document text is held."""
        self.keys = self._write_keys()
        ranking = load_ranking(self.keys)
        n = len(ranking.chars)
        forest = UnionFind(n)
        matched = np.full(n, -1, dtype=np.int64)
        refs: list[tuple[str, str]] = []
        con = connect_scratch(self.scratch / "duckdb", self.config.memory_limit)
        try:
            store = SignatureStore([k.with_suffix(".npy") for k in self.keys])
            for column in self._key_columns() if n else []:
                for pairs in edges(con, self.keys, column):
                    pairs = self._confirmed(pairs, column, store)
                    forest.union(pairs[:, 0], pairs[:, 1])
            if n:
                matched, refs = match_earlier(con, self.keys, n, self.earlier)
        finally:
            con.close()
        self.plan = choose_survivors(forest.roots(), ranking, self.config.prefer, matched, refs)
        return self.plan, ranking

    def write_index(self, path: Path) -> int:
        """Persist the kept documents' keys for later builds; return the bytes written."""
        if self.plan is None:
            raise RuntimeError("write_index() before the step has run")
        return write_index(self.keys, self.plan.keep, path, self.config.minhash, self.config.near)

    def _confirmed(self, pairs: I64, column: str, store: SignatureStore) -> I64:
        """Band candidates that pass the Jaccard check (exact and URL pairs always do)."""
        if self.config.jaccard is None or not column.startswith("band_"):
            return pairs
        return pairs[store.agreement(pairs) >= self.config.jaccard]

    def _key_columns(self) -> list[str]:
        columns = ["text_hash"] + (["url_hash"] if self.config.urls else [])
        if self.config.near:
            columns += [band_column(b) for b in range(self.config.minhash.bands)]
        return columns

    def _write_keys(self) -> list[Path]:
        jobs, first = [], 0
        self.scratch.mkdir(parents=True, exist_ok=True)
        for i, path in enumerate(self.work_files):
            keys_file = self.scratch / f"keys-{i:05d}.parquet"
            jobs.append(KeysJob(path, keys_file, first, self.config))
            first += pq.ParquetFile(path).metadata.num_rows
        if self.workers == 1 or len(jobs) <= 1:
            return [write_keys(job) for job in jobs]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(min(self.workers, len(jobs)), mp_context=context) as pool:
            return list(pool.map(write_keys, jobs))

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
