"""Carrying a parent version's files into a new one without copying their bytes.

A snapshot holds every shard of the dataset; a shard the new version does not change is
the parent's file, hard-linked under the same name (one inode, no second copy), or copied
where the filesystem cannot link. A shard whose bytes change gets a new name, numbered
after every shard the lineage ever held, so one name never stands for two contents.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

from pipeline.dedup.version_index import INDEX_FILE
from pipeline.lineage import VersionView, read_manifest
from pipeline.shards import file_sha256

__all__ = [
    "ORIGINS",
    "index_files",
    "link_or_copy",
    "next_shard_number",
    "shard_entry",
    "shard_number",
]

#: How a shard of a snapshot relates to its parent version.
ORIGINS = ("added", "reused", "rewritten")

_NUMBER = re.compile(r"-(\d+)\.parquet$")


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` at ``target``; copy it when linking fails (another device,
    a filesystem without links). ``target`` must not exist."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        tmp = target.with_name(f".{target.name}.tmp")
        shutil.copy2(source, tmp)
        os.replace(tmp, target)


def shard_number(path: str) -> int:
    """``shards/part-00007.parquet`` -> 7 (``-1`` for a name without a number)."""
    found = _NUMBER.search(path)
    return int(found.group(1)) if found else -1


def next_shard_number(snapshot: VersionView | None) -> int:
    """The first shard number no version of the lineage has used (0 for a new dataset)."""
    if snapshot is None:
        return 0
    used = [
        shard_number(str(entry["path"]))
        for folder in snapshot.lineage
        for entry in read_manifest(folder)["shards"]
    ]
    return max(used, default=-1) + 1


def shard_entry(
    version: Path, relative: str, rows: int, origin: str, first_version: str
) -> dict[str, Any]:
    """The manifest entry of a shard file already in place in ``version``."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown shard origin {origin!r}")
    path = version / relative
    return {
        "path": relative,
        "rows": rows,
        "sha256": file_sha256(path),
        "bytes": path.stat().st_size,
        "origin": origin,
        "first_version": first_version,
    }


def index_files(snapshot: VersionView) -> list[Path]:
    """The dedup index file(s) whose rows, read in order, are the snapshot's documents.

    A format-2 version keeps one index of its whole dataset; a format-1 version's rows are
    the concatenation of every format-1 version's own index, oldest first (the order of
    :attr:`VersionView.shards`).
    """
    if snapshot.format >= 2:
        return [snapshot.folder / INDEX_FILE]
    return [
        folder / INDEX_FILE
        for folder in snapshot.lineage
        if int(read_manifest(folder).get("format", 1)) < 2
    ]
