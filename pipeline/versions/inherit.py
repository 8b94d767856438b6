"""A build's version starts as its parent: every parent shard carried over by hard link.

A format-2 parent lists its whole dataset, and its shards are carried under their own
names. A format-1 parent (versions as increments) is the union of its lineage's shards,
whose names repeat from one version to the next (each started at ``part-00000``): the
first of a name keeps it, a later one is carried under a number after every number the
lineage used. Either way the bytes are the same file, so the entry keeps its checksum
and names the version that first wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.lineage import VersionView, read_manifest
from pipeline.versions.files import link_or_copy, next_shard_number, shard_entry, shard_number

__all__ = ["CarryPlan", "carry", "plan_carry"]


@dataclass(frozen=True)
class CarryPlan:
    """The parent's shards as the new version will list them, and the first free number."""

    sources: tuple[Path, ...]
    entries: tuple[dict[str, Any], ...]
    next_number: int

    @property
    def rows(self) -> int:
        return sum(int(e["rows"]) for e in self.entries)


def plan_carry(parent: VersionView | None) -> CarryPlan:
    """Which files to carry and under which names; reads manifests only."""
    if parent is None:
        return CarryPlan((), (), 0)
    sources, entries = [], []
    taken: set[str] = set()
    spare = next_shard_number(parent)
    for folder, entry in _parent_entries(parent):
        relative = str(entry["path"])
        if relative in taken:
            relative, spare = f"shards/part-{spare:05d}.parquet", spare + 1
        taken.add(relative)
        sources.append(folder / str(entry["path"]))
        first = str(entry.get("first_version") or folder.name)
        entries.append({**_checked(entry), "path": relative, "first_version": first})
    used = max((shard_number(e["path"]) for e in entries), default=-1)
    return CarryPlan(tuple(sources), tuple(entries), max(spare, used + 1))


def carry(plan: CarryPlan, staging: Path) -> list[dict[str, Any]]:
    """Link (or copy) every planned file into ``staging``; return their manifest entries.

    An entry whose parent listed no size or checksum (an older manifest) gets them here.
    """
    listed = []
    for source, entry in zip(plan.sources, plan.entries, strict=True):
        target = staging / entry["path"]
        target.unlink(missing_ok=True)  # a resumed build may have carried it already
        link_or_copy(source, target)
        if "sha256" not in entry or "bytes" not in entry:
            entry = shard_entry(
                staging, entry["path"], entry["rows"], "reused", entry["first_version"]
            )
        listed.append(entry)
    return listed


def _parent_entries(parent: VersionView) -> list[tuple[Path, dict[str, Any]]]:
    if parent.format >= 2:
        return [(parent.folder, entry) for entry in parent.manifest["shards"]]
    return [
        (folder, entry)
        for folder in parent.lineage
        if int((manifest := read_manifest(folder)).get("format", 1)) < 2
        for entry in manifest["shards"]
    ]


def _checked(entry: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {k: entry[k] for k in ("rows", "sha256", "bytes") if k in entry}
    return {**fields, "origin": "reused"}
