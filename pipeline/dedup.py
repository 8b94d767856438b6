"""Exact deduplication across web and licensed documents; the licensed copy wins.

Deduplication runs in two passes over the per-input work files, which are
visited in priority order (licensed corpora first, then our crawls, then
third-party archives): the first pass reads only the dedup keys and picks one
survivor per key, the second streams the documents and keeps the survivors.
Memory holds one small entry per distinct text, never the texts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.document import Document
from pipeline.shards import read_documents
from pipeline.step import Step

__all__ = ["Cluster", "ExactDedup", "plan_clusters"]


@dataclass(slots=True)
class Cluster:
    """Documents sharing one normalised text: who survives and how many there were."""

    survivor: tuple[int, int]  # (work file index, row)
    survivor_source: str
    size: int = 1


def plan_clusters(work_files: Sequence[Path]) -> dict[str, Cluster]:
    """First pass: the survivor and size of every exact-duplicate cluster."""
    clusters: dict[str, Cluster] = {}
    for index, path in enumerate(work_files):
        table = pq.read_table(path, columns=["text_sha256", "source"])
        keys = table.column("text_sha256").to_pylist()
        sources = table.column("source").to_pylist()
        for row, (key, source) in enumerate(zip(keys, sources, strict=True)):
            found = clusters.get(key)
            if found is None:
                clusters[key] = Cluster((index, row), source)
            else:
                found.size += 1
    return clusters


class ExactDedup(Step):
    """Second pass: yield each cluster's survivor, drop (and count) the rest."""

    name = "dedup"

    def __init__(self, work_files: Sequence[Path]) -> None:
        super().__init__()
        self.work_files = list(work_files)

    def __call__(self, docs: Iterator[Document] | None = None) -> Iterator[Document]:
        clusters = plan_clusters(self.work_files)
        for index, path in enumerate(self.work_files):
            for row, doc in enumerate(read_documents(path)):
                self.stats.seen()
                if self._keep(doc, clusters[doc.metadata["text_sha256"]], (index, row)):
                    self.stats.kept()
                    yield doc

    def _keep(self, doc: Document, cluster: Cluster, position: tuple[int, int]) -> bool:
        if cluster.survivor != position:
            licensed_won = cluster.survivor_source != "web" and not doc.is_licensed
            self.stats.dropped("duplicate_of_licensed" if licensed_won else "exact_duplicate")
            return False
        doc.dup_cluster_id = doc.metadata["text_sha256"][:16]
        doc.dup_cluster_size = cluster.size
        return True
