"""The shards of a derived version: the parent's, linked or rewritten, and any added.

A shard none of whose documents leaves is the parent's file, hard-linked under its own
name (its checksum is the parent's: the bytes are the same inode, nothing to re-hash);
a shard that loses documents is rewritten without them, rows in their order, under a
new number; a shard that loses them all is dropped. A format-1 parent can hold two
files of one name (each version numbered its shards from 0): the second gets a new
number too, still "reused" since its bytes are unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.versions.files import link_or_copy, shard_entry
from pipeline.versions.scan import ShardScan
from record.schema import DOCUMENT_SCHEMA

__all__ = ["carry_shards", "shard_name", "write_shard"]

_ROW_GROUP = 10_000


def shard_name(number: int) -> str:
    return f"shards/part-{number:05d}.parquet"


def carry_shards(
    scans: Sequence[ShardScan], staging: Path, version: str, numbers: Iterator[int]
) -> list[dict[str, Any]]:
    """Put the parent's shards in ``staging`` as the scans say; their manifest entries."""
    entries: list[dict[str, Any]] = []
    used: set[str] = set()
    for scan in scans:
        if scan.touched and not scan.keep.any():
            continue
        if scan.touched:
            relative = shard_name(next(numbers))
            table = _read(scan.path).filter(pa.array(scan.keep))
            write_shard(table, staging / relative)
            entries.append(shard_entry(staging, relative, table.num_rows, "rewritten", version))
        else:
            relative = f"shards/{scan.path.name}"
            relative = shard_name(next(numbers)) if relative in used else relative
            link_or_copy(scan.path, staging / relative)
            entries.append(_reused(staging, relative, scan))
        used.add(relative)
    return entries


def _reused(staging: Path, relative: str, scan: ShardScan) -> dict[str, Any]:
    sha256 = scan.entry.get("sha256")
    if not isinstance(sha256, str):  # an old entry without one: hash the bytes once
        return shard_entry(staging, relative, scan.rows, "reused", scan.first_version)
    return {
        "path": relative,
        "rows": scan.rows,
        "sha256": sha256,
        "bytes": (staging / relative).stat().st_size,
        "origin": "reused",
        "first_version": scan.first_version,
    }


def _read(path: Path) -> pa.Table:
    return pq.ParquetFile(path, page_checksum_verification=True).read().cast(DOCUMENT_SCHEMA)


def write_shard(table: pa.Table, target: Path) -> None:
    """Write a document table as a shard (the build's codec and page checksums), atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    pq.write_table(
        table.cast(DOCUMENT_SCHEMA),
        tmp,
        compression="zstd",
        write_page_checksum=True,
        row_group_size=_ROW_GROUP,
    )
    os.replace(tmp, target)
