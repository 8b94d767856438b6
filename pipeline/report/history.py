"""Size and removals across the versions of a lineage, from their manifests.

A snapshot manifest (format 2) says its size (``documents``) and its change since the parent
(``delta``); a format-1 version was an increment, so its snapshot size is the sum of the
format-1 increments up to it and all it did was add. Keys a manifest lacks are counted from
its files instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.lineage import VersionView, read_manifest
from pipeline.report._query import Files

__all__ = ["VersionSize", "removal_tallies", "version_sizes"]


@dataclass(frozen=True, slots=True)
class VersionSize:
    """One version: what made it, how big the dataset was, what changed since its parent."""

    name: str
    created: str
    kind: str
    documents: int
    added: int
    removed: int
    shards: int
    bytes: int


def version_sizes(snapshot: VersionView, files: Files) -> tuple[VersionSize, ...]:
    removed = _removed_counts(files)
    sizes: list[VersionSize] = []
    # Format-1 documents, shards and bytes so far: such a version reads as their union.
    increments = [0, 0, 0]
    for folder in snapshot.lineage:
        manifest = snapshot.manifest if folder == snapshot.folder else read_manifest(folder)
        own = [_rows(manifest["shards"]), len(manifest["shards"]), _bytes(manifest["shards"])]
        if int(manifest.get("format", 1)) < 2:
            increments = [a + b for a, b in zip(increments, own, strict=True)]
            (documents, shards, size), added = increments, own[0]
        else:
            documents = int(manifest.get("documents", own[0]))
            (_, shards, size), added = own, _added(manifest)
        delta = manifest.get("delta") or {}
        sizes.append(
            VersionSize(
                name=folder.name,
                created=str(manifest.get("created", "")),
                kind=str(manifest.get("kind", "build")),
                documents=documents,
                added=added,
                removed=int(delta.get("removed", removed.get(folder.name, 0))),
                shards=shards,
                bytes=size,
            )
        )
    return tuple(sizes)


def _rows(shards: list[dict[str, Any]]) -> int:
    return sum(int(s.get("rows", 0)) for s in shards)


def _bytes(shards: list[dict[str, Any]]) -> int:
    return sum(int(s.get("bytes", 0)) for s in shards)


def _added(manifest: dict[str, Any]) -> int:
    delta = manifest.get("delta") or {}
    if "added" in delta:
        return int(delta["added"])
    return _rows([s for s in manifest["shards"] if s.get("origin") == "added"])


def _removed_counts(files: Files) -> dict[str, int]:
    rows = files.rows("SELECT version, count(*) FROM {removals} GROUP BY version")
    return {str(v): int(n) for v, n in rows}


def removal_tallies(files: Files) -> tuple[tuple[str, str, int], ...]:
    """``(version, reason, documents)`` of every removal in the lineage."""
    rows = files.rows(
        "SELECT version, reason, count(*) AS n FROM {removals} GROUP BY ALL ORDER BY 1, n DESC, 2"
    )
    return tuple((str(v), str(r), int(n)) for v, r, n in rows)
