"""A dataset's versions as snapshots: which files make up the dataset at a version.

Format 2 (``"format": 2`` in the manifest) is a snapshot: the version's manifest
lists every shard of the complete dataset at that point (a shard unchanged since
the parent is a hard link of the parent's file), and its per-version tables
(``duplicates.parquet``, ``removals.parquet``, ``exclusions/``) say what changed
since the parent. Format 1 — every version written before snapshots, recognised by
the key's absence — was an increment: a version held only what its build added.
Read here, a format-1 version is the union of its own shards and those of every
earlier format-1 version, so a dataset written by the older code reads as
snapshots without being rewritten; the next version written on it is a snapshot.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import DatasetError

__all__ = [
    "FORMAT",
    "MANIFEST",
    "VersionView",
    "crawl_runs",
    "read_manifest",
    "version_folders",
    "version_number",
    "view",
]

MANIFEST = "manifest.json"
#: The format a new version is written in.
FORMAT = 2
_VERSION = re.compile(r"^v(\d{4,})$")


def version_number(name: str) -> int:
    """``v0003`` -> 3; ``-1`` for a folder not named like a version."""
    found = _VERSION.match(name)
    return int(found.group(1)) if found else -1


def version_folders(dataset: Path) -> list[Path]:
    """The committed versions of ``dataset``, oldest first (staging folders excluded)."""
    if not dataset.is_dir():
        return []
    found = [
        p
        for p in dataset.iterdir()
        if p.is_dir() and version_number(p.name) >= 0 and (p / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda p: version_number(p.name))


def read_manifest(version: Path) -> dict[str, Any]:
    """The parsed manifest of a version folder; :class:`DatasetError` naming it when unreadable."""
    path = version / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DatasetError(f"{path}: manifest missing") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(f"{path}: unreadable ({exc}); run gleaner verify") from exc
    if not isinstance(data, dict) or not isinstance(data.get("shards"), list):
        raise DatasetError(f"{path}: manifest has no shard list; run gleaner verify")
    return data


@dataclass(frozen=True)
class VersionView:
    """What one version is, read as a snapshot.

    ``shards`` are the files of the complete dataset at this version, in manifest order
    (for format 1, oldest version first); ``lineage`` the versions from the first to this
    one whose per-version tables (duplicates, removals, exclusions) belong to its history.
    """

    folder: Path
    manifest: dict[str, Any]
    shards: tuple[Path, ...]
    lineage: tuple[Path, ...]

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def format(self) -> int:
        return int(self.manifest.get("format", 1))

    @property
    def added_shards(self) -> tuple[Path, ...]:
        """Shards holding documents this version added (all of them for format 1)."""
        if self.format < 2:
            return tuple(self.folder / s["path"] for s in self.manifest["shards"])
        return tuple(
            self.folder / s["path"] for s in self.manifest["shards"] if s.get("origin") == "added"
        )

    def history(self, relative: str) -> list[tuple[str, Path]]:
        """``(version name, file)`` for ``relative`` (a file or a glob) in each version of
        the lineage that has it, oldest first."""
        found = []
        for folder in self.lineage:
            for path in sorted(folder.glob(relative)):
                found.append((folder.name, path))
        return found


def view(version: Path) -> VersionView:
    """Read ``version`` (a version folder) as a snapshot; see the module docstring."""
    manifest = read_manifest(version)
    lineage = _lineage(version)
    if int(manifest.get("format", 1)) >= 2:
        shards = tuple(version / s["path"] for s in manifest["shards"])
    else:
        shards = tuple(
            folder / s["path"]
            for folder in lineage
            if int(read_manifest(folder).get("format", 1)) < 2
            for s in read_manifest(folder)["shards"]
        )
    return VersionView(version, manifest, shards, tuple(lineage))


def _lineage(version: Path) -> list[Path]:
    # A version folder outside a dataset (a copy named otherwise) is its own history.
    number = version_number(version.name)
    if number < 0:
        return [version]
    earlier = [p for p in version_folders(version.parent) if 0 < version_number(p.name) < number]
    return [*earlier, version]


def crawl_runs(snapshot: VersionView) -> list[Path]:
    """Every crawl run folder the dataset knew at this version (refresh runs included),
    in first-seen order."""
    runs: dict[str, None] = {}
    for folder in snapshot.lineage:
        manifest = snapshot.manifest if folder == snapshot.folder else read_manifest(folder)
        for run in manifest.get("crawl_runs", []):
            runs.setdefault(str(run), None)
    return [Path(run) for run in runs]
