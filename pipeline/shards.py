"""Parquet shards with the declared schema, written atomically.

A shard is written under a temporary name and renamed only once complete, so a
reader never sees half a file and a killed build leaves nothing to mistake for
output. Files rotate by row count so every closed file is readable at once.
Every data page carries a CRC-32 checksum and our readers verify it, so a flipped
byte in a page fails the read instead of coming back as altered text.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.document import Document
from pipeline.errors import DatasetError
from pipeline.text import text_sha256, word_count
from record.schema import DOCUMENT_SCHEMA

__all__ = [
    "ParquetShardWriter",
    "ShardInfo",
    "document_to_row",
    "file_sha256",
    "read_batches",
    "read_documents",
    "row_to_document",
]

_BATCH = 1_000


def document_to_row(doc: Document) -> dict[str, Any]:
    """The shard row of a document, with its dedup key and text statistics."""
    return {
        "id": doc.id,
        "text": doc.text,
        "source": doc.source,
        "url": doc.url,
        "host": doc.host,
        "domain": doc.metadata.get("domain"),
        "title": doc.title,
        "language": doc.metadata.get("language"),
        "language_score": doc.metadata.get("language_score"),
        "license": doc.license,
        "licensor": doc.licensor,
        "license_valid_until": doc.license_valid_until,
        "attribution": doc.attribution,
        "fetched_at": doc.fetched_at,
        "published_at": doc.published_at,
        "warc_file": doc.warc_file,
        "warc_record_id": doc.warc_record_id,
        "warc_offset": doc.warc_offset,
        "licensed_file": doc.licensed_file,
        "licensed_row": doc.licensed_row,
        "robots_sha256": doc.robots_sha256,
        "training_signal": doc.training_signal,
        "signals_seen": list(doc.signals_seen),
        "decided_at": doc.decided_at,
        "text_sha256": doc.metadata.get("text_sha256") or text_sha256(doc.text),
        "dup_cluster_id": doc.dup_cluster_id,
        "dup_cluster_size": doc.dup_cluster_size,
        "chars": len(doc.text),
        "words": doc.metadata.get("words") or word_count(doc.text),
    }


_DOC_FIELDS = frozenset(Document.__slots__) - {"metadata"}


def row_to_document(row: dict[str, Any]) -> Document:
    """Rebuild a document from a shard row (the inverse of :func:`document_to_row`)."""
    doc = Document(**{k: v for k, v in row.items() if k in _DOC_FIELDS})
    doc.signals_seen = tuple(row.get("signals_seen") or ())
    for key in ("domain", "language", "language_score", "text_sha256", "words"):
        doc.metadata[key] = row.get(key)
    return doc


def read_documents(path: Path) -> Iterator[Document]:
    """Stream the documents of one Parquet file, a row group at a time, checksums verified.

    Raises :class:`~pipeline.errors.DatasetError` as :func:`read_batches` does.
    """
    for batch in read_batches(path):
        for row in batch.to_pylist():
            yield row_to_document(row)


def read_batches(path: Path, batch_size: int = _BATCH) -> Iterator[pa.RecordBatch]:
    """Stream the rows of one Parquet file as Arrow batches, checksums verified.

    Raises :class:`~pipeline.errors.DatasetError` when the pages hold fewer or more
    rows than the footer declares: a damaged page header can make pages vanish
    without failing a checksum, since the checksum covers the page data only.
    """
    parquet = pq.ParquetFile(path, page_checksum_verification=True)
    rows = 0
    for batch in parquet.iter_batches(batch_size=batch_size):
        rows += batch.num_rows
        yield batch
    if rows != parquet.metadata.num_rows:
        raise DatasetError(
            f"{path}: pages hold {rows} rows, the footer says {parquet.metadata.num_rows}"
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ShardInfo:
    """A finished shard as the manifest lists it."""

    path: str
    rows: int
    sha256: str
    bytes: int


class ParquetShardWriter:
    """Write documents into ``part-00000.parquet``, ``part-00001.parquet``, ... atomically.

    Row groups are the unit a scan skips or reads: each holds ``row_group_rows``
    documents or ``row_group_bytes`` of text, whichever comes first (the last
    one of a shard may be smaller), so column statistics prune well and a
    reader's memory stays bounded. The same documents in the same order always
    give the same bytes: nothing time- or host-dependent is written. Files are numbered
    from ``first``: a new version numbers its shards after every shard its lineage holds,
    so one name never stands for two contents.
    """

    def __init__(
        self,
        folder: Path,
        *,
        prefix: str = "part",
        first: int = 0,
        max_rows: int = 100_000,
        row_group_rows: int = 10_000,
        row_group_bytes: int = 64 << 20,
        compression: str = "zstd",
        checksum: bool = True,
    ) -> None:
        self.folder = folder
        self.prefix = prefix
        self.first = first
        self.max_rows = max_rows
        self.row_group_rows = row_group_rows
        self.row_group_bytes = row_group_bytes
        self.compression = compression
        # The manifest lists each shard's sha256; a build's own work files need none.
        self.checksum = checksum
        self.shards: list[ShardInfo] = []
        self._open: pq.ParquetWriter | None = None
        self._rows = 0
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, docs: Iterable[Document]) -> list[ShardInfo]:
        """Write every document; return the shards written, in order."""
        pending: list[dict[str, Any]] = []
        size = 0
        for doc in docs:
            pending.append(document_to_row(doc))
            size += len(doc.text)
            if len(pending) >= self._room() or size >= self.row_group_bytes:
                self._write_group(pending)
                pending, size = [], 0
        self._write_group(pending)
        self._close()
        return self.shards

    def write_tables(self, tables: Iterable[pa.Table]) -> list[ShardInfo]:
        """Write shard rows given as Arrow tables (:data:`DOCUMENT_SCHEMA`); the row groups
        and files are those :meth:`write` makes of the same rows, byte for byte."""
        pending: list[pa.Table] = []
        for table in tables:
            pending.append(table)
            pending = self._write_full_groups(pa.concat_tables(pending))
        rest = pa.concat_tables(pending) if pending else DOCUMENT_SCHEMA.empty_table()
        self._write_table(rest)
        self._close()
        return self.shards

    def _write_full_groups(self, table: pa.Table) -> list[pa.Table]:
        """Write every complete row group at the head of ``table``; return the rest."""
        while table.num_rows:
            chars = np.cumsum(table.column("chars").to_numpy(), dtype=np.int64)
            full = np.flatnonzero(chars >= self.row_group_bytes)
            cut = min(self._room(), int(full[0]) + 1 if len(full) else table.num_rows + 1)
            if cut > table.num_rows:
                break  # not a whole group yet: wait for more rows
            self._write_table(table.slice(0, cut))
            table = table.slice(cut)
        return [table] if table.num_rows else []

    def _room(self) -> int:
        return min(self.row_group_rows, self.max_rows - self._rows)

    def _write_group(self, rows: list[dict[str, Any]]) -> None:
        self._write_table(pa.Table.from_pylist(rows, schema=DOCUMENT_SCHEMA))

    def _write_table(self, table: pa.Table) -> None:
        # One call, one row group. An empty dataset still gets one (empty) shard, so globs match.
        if not table.num_rows and (self._open is not None or self.shards):
            return
        writer = self._open or self._start()
        # One chunk per column, so the pages do not depend on how the rows arrived.
        writer.write_table(table.combine_chunks(), row_group_size=max(1, table.num_rows))
        self._rows += table.num_rows
        if self._rows >= self.max_rows:
            self._close()

    def _start(self) -> pq.ParquetWriter:
        name = self._name()
        self._open = pq.ParquetWriter(
            self.folder / f".{name}.tmp",
            DOCUMENT_SCHEMA,
            compression=self.compression,
            write_page_checksum=True,
        )
        self._rows = 0
        return self._open

    def _close(self) -> None:
        if self._open is None:
            return
        self._open.close()
        self._open = None
        name = self._name()
        final = self.folder / name
        os.replace(self.folder / f".{name}.tmp", final)
        digest = file_sha256(final) if self.checksum else ""
        info = ShardInfo(name, self._rows, digest, final.stat().st_size)
        self.shards.append(info)
        self._rows = 0

    def _name(self) -> str:
        return f"{self.prefix}-{self.first + len(self.shards):05d}.parquet"
