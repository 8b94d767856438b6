"""Dataset versions: immutable folders of shards plus a manifest.

A build assembles its version in a hidden folder and renames it into place
when everything is written, so ``<dataset>/v0003`` either exists complete or
not at all. The manifest records the config, the inputs with checksums, the
shards with row counts, sizes and checksums, every other file with its size and
checksum, the counters of every step, and last a digest of itself (see
:mod:`pipeline.integrity`).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import DatasetError
from pipeline.integrity import seal
from pipeline.lineage import MANIFEST, version_number

__all__ = ["MANIFEST", "DatasetVersion", "latest_version", "next_version", "resolve_version"]


def _versions(dataset: Path) -> list[Path]:
    if not dataset.is_dir():
        return []
    found = [p for p in dataset.iterdir() if p.is_dir() and version_number(p.name) >= 0]
    return sorted(found, key=lambda p: version_number(p.name))


def latest_version(dataset: Path) -> Path | None:
    versions = _versions(dataset)
    return versions[-1] if versions else None


def next_version(dataset: Path) -> str:
    latest = latest_version(dataset)
    return f"v{(int(latest.name[1:]) + 1 if latest else 1):04d}"


def resolve_version(path: Path, name: str | None = None) -> Path:
    """A version folder from a version folder, or a dataset folder and a version name
    (``--version v0002``; its latest when ``name`` is None)."""
    if name is not None:
        folder = path / name
        if not (folder / MANIFEST).is_file():
            raise DatasetError(f"{folder}: no such version")
        return folder
    if (path / MANIFEST).is_file():
        return path
    latest = latest_version(path)
    if latest is None:
        raise DatasetError(f"{path}: not a dataset version and holds no versions")
    return latest


@dataclass
class DatasetVersion:
    """A version being built: a staging folder renamed into place by :meth:`commit`."""

    dataset: Path
    name: str

    @classmethod
    def start(cls, dataset: Path) -> DatasetVersion:
        version = cls(dataset, next_version(dataset))
        shutil.rmtree(version.staging, ignore_errors=True)
        version.staging.mkdir(parents=True)
        return version

    @property
    def staging(self) -> Path:
        return self.dataset / f".building-{self.name}"

    @property
    def final(self) -> Path:
        return self.dataset / self.name

    @property
    def parent(self) -> str | None:
        latest = latest_version(self.dataset)
        return latest.name if latest else None

    def commit(self, manifest: dict[str, Any]) -> Path:
        """Write the sealed manifest, drop scratch files and move the version into place."""
        shutil.rmtree(self.staging / "work", ignore_errors=True)
        text = json.dumps(seal(manifest, self.staging), indent=2, sort_keys=True)
        (self.staging / MANIFEST).write_text(text + "\n", encoding="utf-8")
        self.staging.rename(self.final)
        return self.final
