"""The files an audit reads, found from one version: its lineage, shards and crawl runs.

Everything comes from the dataset folder alone: the versions from the first to the audited
one (their shards, duplicates, removals, exclusions and site captures), every crawl run any
of them names, and every refresh run under ``<dataset>/refresh/`` (a refresh is a small
crawl whose run folder lives beside the versions it derived).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.dataset import resolve_version
from pipeline.lineage import VersionView, crawl_runs, read_manifest, view
from pipeline.sites import SITES_FILE

__all__ = ["AuditSources", "Shard", "VersionInfo", "sources"]

#: Where refresh runs live inside a dataset folder.
REFRESH_RUNS = "refresh"


@dataclass(frozen=True)
class VersionInfo:
    """One version of the lineage: its name, manifest facts and its shard files."""

    name: str
    kind: str
    created: str | None
    parent: str | None
    shards: tuple[Path, ...]


@dataclass(frozen=True)
class Shard:
    """One shard file's bytes (hard links are one file) and the versions that hold it."""

    path: Path
    versions: tuple[str, ...]


@dataclass(frozen=True)
class AuditSources:
    """Every file an audit of ``snapshot`` may read."""

    dataset: Path
    snapshot: VersionView
    versions: tuple[VersionInfo, ...]
    runs: tuple[Path, ...]

    def history(self, relative: str) -> list[tuple[str, Path]]:
        """``(version, file)`` for a per-version table across the lineage, oldest first."""
        return self.snapshot.history(relative)

    def run_files(self, log: str) -> list[Path]:
        """A log's Parquet files (``decisions`` or ``robots``) of every known run."""
        return [p for run in self.runs for p in sorted((run / log).glob("*.parquet"))]

    def site_files(self) -> list[Path]:
        return [path for _, path in self.history(SITES_FILE)]

    def shards(self) -> list[Shard]:
        """Each distinct shard file once, with every version holding it (by inode, so a
        shard carried forward by hard link is read once)."""
        found: dict[tuple[int, int] | Path, tuple[Path, list[str]]] = {}
        for info in self.versions:
            for path in info.shards:
                key = _identity(path)
                found.setdefault(key, (path, []))[1].append(info.name)
        return [Shard(path, tuple(dict.fromkeys(names))) for path, names in found.values()]


def sources(dataset: Path, version: str | None = None) -> AuditSources:
    """The files of ``dataset`` (a dataset or version folder) up to ``version`` (latest)."""
    folder = resolve_version(dataset, version)
    snapshot = view(folder)
    versions = tuple(_info(v, snapshot) for v in snapshot.lineage)
    # Resolved: a manifest names runs by absolute path, the dataset given may be relative,
    # and one run must be read once.
    runs = [run.resolve() for run in (*crawl_runs(snapshot), *_refresh_runs(folder.parent))]
    return AuditSources(folder.parent, snapshot, versions, tuple(dict.fromkeys(runs)))


def _info(folder: Path, snapshot: VersionView) -> VersionInfo:
    manifest: dict[str, Any] = (
        snapshot.manifest if folder == snapshot.folder else read_manifest(folder)
    )
    shards = snapshot.shards if folder == snapshot.folder else view(folder).shards
    return VersionInfo(
        name=folder.name,
        kind=str(manifest.get("kind", "build")),
        created=manifest.get("created"),
        parent=manifest.get("parent"),
        shards=shards,
    )


def _refresh_runs(dataset: Path) -> list[Path]:
    # ``refresh/<run>/`` or, as a crawl job lays runs out, ``refresh/<job>/<run>/``.
    folder = dataset / REFRESH_RUNS
    found = [*folder.glob("*"), *folder.glob("*/*")]
    return sorted(p for p in found if (p / "decisions").is_dir() or (p / "robots").is_dir())


def _identity(path: Path) -> tuple[int, int] | Path:
    try:
        stat = os.stat(path)
    except OSError:
        return path
    return (stat.st_dev, stat.st_ino)
