"""The persisted dedup index: what a version holds, so later builds dedup against it.

Each version keeps ``index/dedup.parquet``: one row per document of the whole
version (a snapshot: the parent's rows, then the keys of what this version added),
in shard order, with the first 64 bits of its exact-text hash and its MinHash
band keys (14 x 64 bits with the FineWeb layout), about 121 bytes per document.
Row ``i`` of the index is row ``i`` of the version's shards (in manifest order),
so the index needs no id column: a match is named by reading that one row's id.
Random 64-bit keys do not compress, so the file is written plain (a dictionary
attempt would cost 20% more). It is written inside the version, so it is
committed by the same rename as the shards. A build dedups against its parent's
index alone, which holds the whole dataset (for a parent written as increments,
format 1, the index files of every such version, see
:func:`pipeline.versions.files.index_files`). The MinHash layout (and signature
algorithm) is stored in the file's metadata: an index built with another layout is
matched on exact text only.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dataset import MANIFEST
from pipeline.dedup.cluster import arrow_batches, parquet_list
from pipeline.dedup.keys import band_column, keys_schema
from pipeline.dedup.minhash import SKETCH, MinHashConfig

__all__ = ["INDEX_FILE", "EarlierIndex", "indexes_of", "match_earlier", "write_index"]

INDEX_FILE = "index/dedup.parquet"
_LAYOUT = b"gleaner.minhash"


@dataclass(frozen=True, slots=True)
class EarlierIndex:
    """One index file, the version whose documents it keys, and whether its bands are
    comparable with this build's."""

    version: str
    path: Path
    bands: bool


def _layout(config: MinHashConfig, near: bool) -> bytes:
    fields = {"ngram": config.ngram, "bands": config.bands, "rows": config.rows}
    # The algorithm too: band keys of another signature algorithm never match these.
    layout = {**fields, "seed": config.seed, "near": near, "sketch": SKETCH}
    return json.dumps(layout, sort_keys=True).encode()


def write_index(
    keys: Sequence[Path],
    keep: npt.NDArray[np.bool_],
    path: Path,
    config: MinHashConfig,
    near: bool,
    before: Sequence[Path] = (),
) -> int:
    """Write the rows of the ``before`` index files (the parent's, in order), then the kept
    documents' keys in doc order, to ``path``; return its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ["text_hash", *(band_column(b) for b in range(config.bands))]
    full = keys_schema(config.bands)
    # Nullable: a parent's rows keyed with another MinHash layout carry null bands.
    schema = pa.schema([full.field(c).with_nullable(True) for c in columns]).with_metadata(
        {_LAYOUT: _layout(config, near)}
    )
    first = 0
    with pq.ParquetWriter(path, schema, compression="none", use_dictionary=False) as writer:
        for index in before:
            writer.write_table(_conformed(pq.read_table(index), schema))
        for key_file in keys:
            table = pq.read_table(key_file, columns=columns)
            mask = pa.array(keep[first : first + table.num_rows])
            first += table.num_rows
            writer.write_table(table.filter(mask).cast(schema))
    return path.stat().st_size


def _conformed(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """An earlier index in ``schema``; band keys of another MinHash layout become nulls,
    which match nothing (the rows stay, so row ``i`` is still document ``i``)."""
    stored = table.schema.metadata or {}
    same = stored.get(_LAYOUT) == (schema.metadata or {}).get(_LAYOUT)
    arrays = [
        table.column(f.name).cast(f.type)
        if f.name in table.column_names and (same or f.name == "text_hash")
        else pa.nulls(table.num_rows, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def indexes_of(files: Sequence[Path], config: MinHashConfig, near: bool) -> list[EarlierIndex]:
    """The index ``files`` (each inside its version's folder) to dedup against, in order."""
    found = []
    for path in files:
        if path.is_file():
            stored = pq.read_schema(path).metadata or {}
            same = near and stored.get(_LAYOUT) == _layout(config, near)
            found.append(EarlierIndex(path.parent.parent.name, path, same))
    return found


def match_earlier(
    con: duckdb.DuckDBPyConnection, keys: Sequence[Path], n: int, earlier: Sequence[EarlierIndex]
) -> tuple[npt.NDArray[np.int64], list[tuple[str, str]]]:
    """For each new document, the earliest indexed document it duplicates (``-1``: none).

    Returns an index into the returned ``(version, id)`` list per document, the version
    being the one that first wrote the matched document.
    """
    matched = np.full(n, -1, dtype=np.int64)
    refs: list[tuple[str, str]] = []
    for old in earlier:
        rows = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        for column in _columns(old):
            for doc, row in _joined(con, keys, old.path, column):
                np.minimum.at(rows, doc, row)
        new = (matched < 0) & (rows < np.iinfo(np.int64).max)
        if new.any():
            ids, versions = _version_ids(old.path.parent.parent)
            picked = np.unique(rows[new])
            base = len(refs)
            refs += [(str(versions[int(r)]), str(ids[int(r)])) for r in picked]
            matched[new] = base + np.searchsorted(picked, rows[new])
    return matched, refs


def _columns(old: EarlierIndex) -> list[str]:
    if not old.bands:
        return ["text_hash"]
    names = pq.read_schema(old.path).names
    return ["text_hash", *sorted(c for c in names if c.startswith("band_"))]


def _joined(
    con: duckdb.DuckDBPyConnection, keys: Sequence[Path], index: Path, column: str
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    sql = f"""
        SELECT k.doc, min(i.file_row_number) AS row
        FROM read_parquet({parquet_list(keys)}) k
        JOIN read_parquet({parquet_list([index])}, file_row_number = true) i USING ({column})
        GROUP BY k.doc
    """
    out = []
    for batch in arrow_batches(con, sql):
        doc = np.asarray(batch.column(0).to_numpy(), dtype=np.int64)
        out.append((doc, np.asarray(batch.column(1).to_numpy(), dtype=np.int64)))
    return out


def _version_ids(version: Path) -> tuple[pa.ChunkedArray, list[str]]:
    """The ``id`` column of a version's shards in manifest order (= index row order), and
    for each row the version that first wrote it (a snapshot carries earlier shards)."""
    manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
    tables, versions = [], []
    for shard in manifest["shards"]:
        table = pq.read_table(version / shard["path"], columns=["id"])
        tables.append(table)
        versions += [str(shard.get("first_version") or version.name)] * table.num_rows
    return pa.concat_tables(tables).column("id"), versions
