"""Drop reasons of duplicates, and the ``duplicates.parquet`` table that records them.

Each row is the dropped document's whole shard row (text included) plus why it was
dropped and what it matched: if that match is later removed from the dataset, the
duplicate can take its place without going back to the inputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dedup.plan import Ranking
from pipeline.document import Document
from pipeline.schema import DUPLICATE_SCHEMA
from pipeline.shards import document_to_row

__all__ = ["DuplicateSink", "drop_reason"]

_BATCH = 1_000


def drop_reason(ranking: Ranking, doc: int, survivor: int) -> str:
    """Why ``doc`` lost to ``survivor`` in the same build (exact, URL or near copy)."""
    licensed_won = bool(ranking.licensed[survivor]) and not bool(ranking.licensed[doc])
    if ranking.text_hash[doc] == ranking.text_hash[survivor]:
        return "duplicate_of_licensed" if licensed_won else "exact_duplicate"
    if ranking.url_hash[doc] and ranking.url_hash[doc] == ranking.url_hash[survivor]:
        return "url_duplicate"
    return "near_duplicate_of_licensed" if licensed_won else "near_duplicate"


class DuplicateSink:
    """Write one row per dropped duplicate (its shard row, reason and match); with no
    path, rows are only counted."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.rows = 0
        self._batch: list[dict[str, Any]] = []
        self._writer: pq.ParquetWriter | None = None

    def add(self, doc: Document, reason: str, matched_id: str, matched_version: str) -> None:
        self.rows += 1
        if self.path is None:
            return
        row = document_to_row(doc)
        if matched_id == doc.id:
            # The same document read again (a rebuild of the same input): its text is in the
            # shards already, and a copy of itself can never take its place.
            row["text"] = None
        row.update(
            reason=reason, dedup_matched_id=matched_id, dedup_matched_version=matched_version
        )
        self._batch.append(row)
        if len(self._batch) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.path is None or (not self._batch and self._writer is not None):
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, DUPLICATE_SCHEMA, compression="zstd")
        self._writer.write_table(pa.Table.from_pylist(self._batch, schema=DUPLICATE_SCHEMA))
        self._batch = []

    def close(self) -> None:
        """Flush; a build with no duplicates still gets an (empty) table."""
        if self.path is not None and self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, DUPLICATE_SCHEMA, compression="zstd")
        self._flush()
        if self._writer is not None:
            self._writer.close()
