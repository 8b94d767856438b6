"""Dedup keys of one work file: exact, URL and band hashes plus survivor-ranking columns.

Each work file gets a small keys file beside it (``keys-00003.parquet``), one row
per document with its global number ``doc`` (position in dedup priority order).
Key files are computed in parallel, one work file per worker, and are all the
clustering ever reads: the texts are not looked at again until shards are written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.minhash import band_keys, signatures
from pipeline.dedup.sketch import load_sketch, sketch_file

__all__ = ["KeysJob", "band_column", "keys_schema", "write_keys"]

_BATCH = 512
_COLUMNS = ["id", "source", "url", "text_sha256", "published_at", "fetched_at", "chars"]
_EXTRA = ["language_score"]


def band_column(band: int) -> str:
    return f"band_{band:02d}"


def keys_schema(bands: int) -> pa.Schema:
    """Columns of a keys file; ``date`` is days since 1970 (published, else fetched)."""
    fields = [
        pa.field("doc", pa.int64(), nullable=False),
        pa.field("id", pa.string(), nullable=False),
        pa.field("licensed", pa.bool_(), nullable=False),
        pa.field("chars", pa.int64(), nullable=False),
        pa.field("date", pa.int32()),
        pa.field("quality", pa.float32()),
        pa.field("text_hash", pa.uint64(), nullable=False),
        pa.field("url_hash", pa.uint64()),
    ]
    fields += [pa.field(band_column(b), pa.uint64(), nullable=False) for b in range(bands)]
    return pa.schema(fields)


@dataclass(frozen=True, slots=True)
class KeysJob:
    """One work file to key: where it is, where its keys go, its first global doc number."""

    work_file: Path
    keys_file: Path
    first_doc: int
    config: DedupConfig

    @property
    def signature_file(self) -> Path:
        return self.keys_file.with_suffix(".npy")

    @property
    def sketched(self) -> bool:
        """Whether stage 1 left the work file's signatures (see :mod:`pipeline.dedup.sketch`)."""
        return sketch_file(self.work_file).is_file()


def write_keys(job: KeysJob) -> Path:
    """Compute and write the keys file of one work file (runs in a worker process).

    The signatures come from the work file's stage-1 sketch when it has one (no text is
    read then), else they are computed from the text here."""
    parquet = pq.ParquetFile(job.work_file)
    names = set(parquet.schema_arrow.names)
    minhash = job.config.minhash
    sketch = load_sketch(job.work_file, parquet.metadata.num_rows, minhash)
    sketch = sketch if job.config.near else None
    wanted = _COLUMNS + (["text"] if job.config.near and sketch is None else [])
    columns = wanted + [c for c in _EXTRA if c in names]
    schema = keys_schema(minhash.bands)
    doc, sigs = job.first_doc, []
    with pq.ParquetWriter(job.keys_file, schema, compression="zstd") as writer:
        for batch in parquet.iter_batches(batch_size=_BATCH, columns=columns):
            rows = batch.to_pylist()
            known = None if sketch is None else sketch[doc - job.first_doc :][: len(rows)]
            table, sig = _keys_table(rows, doc, job.config, schema, known)
            writer.write_table(table)
            sigs.append(sig)
            doc += len(rows)
    hashes = minhash.hashes
    np.save(job.signature_file, np.concatenate(sigs) if sigs else np.empty((0, hashes), np.uint64))
    return job.keys_file


def _keys_table(
    rows: list[dict[str, Any]],
    first: int,
    config: DedupConfig,
    schema: pa.Schema,
    known: npt.NDArray[np.uint64] | None = None,
) -> tuple[pa.Table, npt.NDArray[np.uint64]]:
    if config.near:
        sig = np.asarray(known) if known is not None else _signatures(rows, config)
        bands = band_keys(sig, config.minhash)
    else:
        # Near-dup off: each document gets bands of its own, so only exact keys can match.
        own = np.arange(first, first + len(rows), dtype=np.uint64) | np.uint64(1 << 63)
        bands = np.repeat(own[:, None], config.minhash.bands, axis=1)
        sig = np.repeat(own[:, None], config.minhash.hashes, axis=1)
    data: dict[str, Any] = {
        "doc": list(range(first, first + len(rows))),
        "id": [r["id"] for r in rows],
        "licensed": [r["source"] != "web" for r in rows],
        "chars": [r["chars"] for r in rows],
        "date": [_days(r.get("published_at") or r.get("fetched_at")) for r in rows],
        "quality": [r.get("language_score") for r in rows],
        "text_hash": [int(r["text_sha256"][:16], 16) for r in rows],
        "url_hash": [_url_hash(r["url"]) if config.urls else None for r in rows],
    }
    for b in range(config.minhash.bands):
        data[band_column(b)] = pa.array(bands[:, b], type=pa.uint64())
    return pa.table(data, schema=schema), sig


def _signatures(rows: list[dict[str, Any]], config: DedupConfig) -> npt.NDArray[np.uint64]:
    return signatures([r["text"] for r in rows], config.minhash)


def _days(value: date | datetime | None) -> int | None:
    if value is None:
        return None
    day = value.date() if isinstance(value, datetime) else value
    return (day - date(1970, 1, 1)).days


def _url_hash(url: str | None) -> int | None:
    return xxhash.xxh3_64_intdigest(url.encode()) if url else None
