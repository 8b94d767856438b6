"""Judging every document of a version, shard by shard, without reading a text.

The judge sees each row with every column but ``text`` (the column a shard is mostly
made of), so judging a large version reads a small share of its bytes. What comes
back per shard is a keep mask in row order and the rows judged out with their
:class:`~pipeline.versions.removal.Removal`: enough to link the shard unchanged, or
rewrite it without those rows, and to filter the dedup index by the same mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq

from pipeline.lineage import VersionView, read_manifest
from pipeline.versions.removal import Judge, Removal

__all__ = ["ShardScan", "scan_shards", "shard_sources"]

_BATCH = 4_096
_TEXT = "text"


@dataclass(frozen=True)
class ShardScan:
    """One shard of the parent: its file and manifest entry, which rows stay, and why
    the others go."""

    path: Path
    entry: dict[str, Any]
    first_version: str
    keep: npt.NDArray[np.bool_]
    removed: tuple[tuple[dict[str, Any], Removal], ...]

    @property
    def rows(self) -> int:
        return len(self.keep)

    @property
    def touched(self) -> bool:
        return bool(self.removed)


def shard_sources(snapshot: VersionView) -> list[tuple[Path, dict[str, Any], str]]:
    """``(file, manifest entry, first version)`` of every shard of the snapshot, in order.

    A format-1 shard was first written by the version folder that holds it.
    """
    if snapshot.format >= 2:
        return [
            (snapshot.folder / e["path"], e, str(e.get("first_version") or snapshot.name))
            for e in snapshot.manifest["shards"]
        ]
    return [
        (folder / e["path"], e, folder.name)
        for folder in snapshot.lineage
        if int(read_manifest(folder).get("format", 1)) < 2
        for e in read_manifest(folder)["shards"]
    ]


def scan_shards(snapshot: VersionView, judge: Judge) -> list[ShardScan]:
    """Judge every document of ``snapshot``; see the module docstring."""
    return [_scan(path, entry, first, judge) for path, entry, first in shard_sources(snapshot)]


def _scan(path: Path, entry: dict[str, Any], first: str, judge: Judge) -> ShardScan:
    parquet = pq.ParquetFile(path, page_checksum_verification=True)
    columns = [name for name in parquet.schema_arrow.names if name != _TEXT]
    keep = np.ones(parquet.metadata.num_rows, dtype=np.bool_)
    removed: list[tuple[dict[str, Any], Removal]] = []
    at = 0
    for batch in parquet.iter_batches(batch_size=_BATCH, columns=columns):
        for row in batch.to_pylist():
            verdict = judge(row)
            if verdict is not None:
                keep[at] = False
                removed.append((row, verdict))
            at += 1
    return ShardScan(path, entry, first, keep, tuple(removed))
