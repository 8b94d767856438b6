"""Derive a new immutable version from the latest one, minus the documents a rule takes out.

    latest version (a snapshot) -> judge every row, text unread (scan)
      -> untouched shards linked, touched ones rewritten (carry)
      -> replacements for removed dedup survivors, in a new shard (the replace hook)
      -> index = the parent's rows kept + the replacements' keys (index)
      -> removals.parquet, consent captures, stats, manifest -> commit (rename)

``gleaner remove``, ``gleaner expire`` and ``gleaner optout refresh`` are this with
different rules. The version is assembled in the dataset's staging folder and renamed
into place; an error or Ctrl-C on the way removes the staging folder, so the dataset is
as it was. Nothing to remove and nothing new to record writes no version.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline._interrupt import interrupt_once
from pipeline.dataset import DatasetVersion, next_version, resolve_version
from pipeline.dedup.version_index import INDEX_FILE
from pipeline.errors import DatasetError
from pipeline.lineage import FORMAT, MANIFEST, VersionView, view
from pipeline.lineage import crawl_runs as known_runs
from pipeline.schema import STATS_SCHEMA
from pipeline.sites import SITES_FILE, SiteSignals
from pipeline.versions.carry import carry_shards, shard_name, write_shard
from pipeline.versions.files import index_files, link_or_copy, next_shard_number, shard_entry
from pipeline.versions.index import dedup_settings, filter_index, replacement_keys
from pipeline.versions.removal import (
    REMOVALS_FILE,
    Judge,
    Removal,
    removal_row,
    removed_ids,
    write_removals,
)
from pipeline.versions.scan import ShardScan, scan_shards
from record.schema import DOCUMENT_SCHEMA

__all__ = ["Derived", "Judge", "Removal", "ReplaceHook", "derive_version", "plan_removals"]

#: Full document rows to add in place of removed dedup survivors (``dup_cluster_id`` =
#: the removed survivor's id names the one each replaces); see pipeline/versions/replace.py.
ReplaceHook = Callable[[VersionView, Mapping[str, Removal], Judge], list[dict[str, Any]]]

_STEP = "removal"
_PLAN = "plan.json"  # an unfinished build's staging folder (pipeline.resume)


@dataclass(frozen=True)
class Derived:
    """What a derivation did: the new version (None when nothing was written), its parent,
    the ``removals.parquet`` rows, and the documents it holds and added."""

    version: Path | None
    parent: str
    removals: list[dict[str, Any]] = field(default_factory=list)
    documents: int = 0
    added: int = 0


def plan_removals(dataset: Path, judge: Judge, *, request: str, note: str | None = None) -> Derived:
    """What :func:`derive_version` would remove from the latest version; writes nothing."""
    parent = _latest(dataset)
    scans = scan_shards(parent, judge)
    rows = _removal_rows(scans, parent.name, request, note, datetime.now(UTC), {})
    return Derived(None, parent.name, rows, sum(int(s.keep.sum()) for s in scans))


def derive_version(
    dataset: Path,
    judge: Judge,
    *,
    kind: str,
    request: str,
    note: str | None = None,
    sites: SiteSignals | None = None,
    crawl_runs: Sequence[Path] = (),
    replace: ReplaceHook | None = None,
    now: datetime | None = None,
) -> Derived:
    """The latest version of ``dataset`` minus what ``judge`` removes, as a new version."""
    parent = _latest(dataset)
    scans = scan_shards(parent, judge)
    known = {str(run) for run in known_runs(parent)}
    runs = [str(r.resolve()) for r in crawl_runs if str(r.resolve()) not in known]
    if not any(s.touched for s in scans) and not (sites and len(sites)) and not runs:
        return Derived(None, parent.name, [], sum(s.rows for s in scans))
    _refuse_unfinished_build(dataset)
    version = DatasetVersion.start(dataset)
    job = _Job(parent, scans, judge, kind, request, note, now or datetime.now(UTC))
    try:
        with interrupt_once():
            return job.write(version, sites, [*known, *runs], replace)
    except BaseException:
        shutil.rmtree(version.staging, ignore_errors=True)
        raise


def _latest(dataset: Path) -> VersionView:
    """The latest version of ``dataset``, which must be a dataset folder: a new version
    always derives from the newest, never from an older one passed by its folder."""
    if (dataset / MANIFEST).is_file():
        raise DatasetError(
            f"{dataset}: a version folder; give its dataset folder ({dataset.parent})"
        )
    return view(resolve_version(dataset))


def _refuse_unfinished_build(dataset: Path) -> None:
    staging = dataset / f".building-{next_version(dataset)}"
    if (staging / _PLAN).is_file():
        raise DatasetError(
            f"{staging}: an unfinished build holds the next version; finish it with "
            "gleaner build --resume, or delete the folder, then try again"
        )


@dataclass(frozen=True)
class _Job:
    parent: VersionView
    scans: list[ShardScan]
    judge: Judge
    kind: str
    request: str
    note: str | None
    now: datetime

    def write(
        self,
        version: DatasetVersion,
        sites: SiteSignals | None,
        runs: list[str],
        replace: ReplaceHook | None,
    ) -> Derived:
        staging, numbers = version.staging, itertools.count(next_shard_number(self.parent))
        shards = carry_shards(self.scans, staging, version.name, numbers)
        removed = {row["id"]: removal for s in self.scans for row, removal in s.removed}
        added = replace(self.parent, removed, self.judge) if replace and removed else []
        _refuse_resurrection(self.parent, removed, added)
        if added or not shards:  # an emptied dataset keeps one (empty) shard, so globs match
            relative = shard_name(next(numbers))
            write_shard(pa.Table.from_pylist(added, schema=DOCUMENT_SCHEMA), staging / relative)
            origin = "added" if added else "rewritten"
            shards.append(shard_entry(staging, relative, len(added), origin, version.name))
        index_bytes = self._index(staging, added)
        replaced = {str(r.get("dup_cluster_id")): str(r["id"]) for r in added}
        replaced = {cluster: doc for cluster, doc in replaced.items() if cluster in removed}
        rows = _removal_rows(
            self.scans, self.parent.name, self.request, self.note, self.now, replaced
        )
        write_removals(staging / REMOVALS_FILE, rows)
        consent = _carry_sites(self.parent, sites, staging)
        stats = self._stats(rows, len(added))
        _write_stats(staging / "stats" / "stats.parquet", stats)
        manifest = self._manifest(version, shards, rows, len(added), len(replaced), stats)
        manifest |= {"crawl_runs": runs, "dedup": {"index": INDEX_FILE, "index_bytes": index_bytes}}
        manifest |= {"consent": consent} if consent else {}
        final = version.commit(manifest)
        return Derived(final, self.parent.name, rows, manifest["documents"], len(added))

    def _index(self, staging: Path, added: list[dict[str, Any]]) -> int:
        keep = np.concatenate([s.keep for s in self.scans]) if self.scans else np.ones(0, bool)
        keys = None
        if added:
            keys = replacement_keys(added, dedup_settings(self.parent.manifest), staging / "work")
        return filter_index(index_files(self.parent), keep, staging / INDEX_FILE, keys)

    def _stats(self, rows: list[dict[str, Any]], added: int) -> dict[str, dict[str, int]]:
        total = sum(s.rows for s in self.scans)
        counts = {"total": total, "kept": total - len(rows), "dropped": len(rows)}
        for row in rows:
            key = f"dropped/{row['reason']}"
            counts[key] = counts.get(key, 0) + 1
        stats = {_STEP: dict(sorted(counts.items()))}
        return stats | ({"replace": {"added": added}} if added else {})

    def _manifest(
        self,
        version: DatasetVersion,
        shards: list[dict[str, Any]],
        rows: list[dict[str, Any]],
        added: int,
        replaced: int,
        stats: dict[str, dict[str, int]],
    ) -> dict[str, Any]:
        parent = self.parent.name
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "version": version.name,
            "parent": parent,
            "created": self.now.isoformat(timespec="seconds"),
            "kind": self.kind,
            "shards": shards,
            "documents": sum(int(s["rows"]) for s in shards),
            "delta": {"parent": parent, "added": added, "removed": len(rows), "replaced": replaced},
            "stats": stats,
        }
        if "config" in self.parent.manifest:  # the settings the documents were built with
            manifest["config"] = self.parent.manifest["config"]
        return manifest


def _refuse_resurrection(
    parent: VersionView, removed: Mapping[str, Removal], added: list[dict[str, Any]]
) -> None:
    """A replacement is never a document removed now or by an earlier version."""
    back = {r["id"] for r in added} & (set(removed) | removed_ids(parent))
    if back:
        raise DatasetError(f"a replacement would bring back removed document {min(back)}")


def _removal_rows(
    scans: Sequence[ShardScan],
    parent: str,
    request: str,
    note: str | None,
    at: datetime,
    replaced: Mapping[str, str],
) -> list[dict[str, Any]]:
    return [
        removal_row(
            row,
            removal,
            parent=parent,
            request=request,
            note=note,
            at=at,
            replaced_by=replaced.get(row["id"]),
        )
        for scan in scans
        for row, removal in scan.removed
    ]


def _carry_sites(parent: VersionView, sites: SiteSignals | None, staging: Path) -> dict[str, Any]:
    """The parent's site-level captures, plus the new ones: the newest word governs later."""
    source = parent.folder / SITES_FILE
    if not (sites and len(sites)):
        if not source.is_file():
            return {}
        link_or_copy(source, staging / SITES_FILE)
        merged = SiteSignals.load(source)
    else:
        before = SiteSignals.load(source).captures if source.is_file() else []
        merged = SiteSignals(dict.fromkeys([*before, *sites.captures]))
        merged.save(staging / SITES_FILE)
    return {
        "sites": SITES_FILE,
        "captures": len(merged),
        "authorities": len(merged.authorities()),
    }


def _write_stats(path: Path, stats: dict[str, dict[str, int]]) -> None:
    rows = [
        {"step": step, "counter": counter, "value": value}
        for step, counts in stats.items()
        for counter, value in counts.items()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=STATS_SCHEMA), path)
