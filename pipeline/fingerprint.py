"""What a stage-1 unit was made from: every file it reads, by size, mtime and sha256.

A finished unit records the key of each file it read (the WARC and its
crawl's decision logs, or a corpus manifest and each data file it lists).
A resumed build reuses the unit only while every file still matches: the
size and modification time are the quick check (as make and rsync do), and
when they differ the sha256 decides, so a copied or touched input is not
redone but an edited one always is. The dataset manifest lists the same keys.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipeline.flow import Unit
from pipeline.licensed import load_manifest
from pipeline.shards import file_sha256

__all__ = ["FileKey", "changed_input", "input_files"]


@dataclass(frozen=True, slots=True)
class FileKey:
    """One input file as it was when a unit read it."""

    path: str
    bytes: int
    mtime_ns: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileKey:
        stat = path.stat()
        resolved = str(path.resolve())
        return cls(resolved, stat.st_size, stat.st_mtime_ns, _sha256(resolved, _stamp(stat)))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FileKey:
        return cls(str(data["path"]), int(data["bytes"]), int(data["mtime_ns"]), data["sha256"])

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def matches(self, path: Path) -> bool:
        """Whether ``path`` still holds the content this key was taken of."""
        try:
            stat = path.stat()
            if stat.st_size != self.bytes:
                return False
            return stat.st_mtime_ns == self.mtime_ns or file_sha256(path) == self.sha256
        except OSError:
            return False


def input_files(unit: Unit) -> list[Path]:
    """Every file a unit's output depends on, in a fixed order."""
    if unit.kind == "licensed":
        return [unit.path, *load_manifest(unit.path).data_files()]
    return [unit.path, *unit.decision_files]


def _stamp(stat: os.stat_result) -> tuple[int, ...]:
    # ctime too: any write (or a reset mtime) changes it, and no one can set it back.
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


@functools.lru_cache(maxsize=256)
def _sha256(path: str, stamp: tuple[int, ...]) -> str:
    # The slices of one corpus each key all its files: hash each file once per process
    # (while it is unchanged: the stamp is part of the cache key).
    return file_sha256(Path(path))


def changed_input(recorded: Sequence[FileKey], files: Sequence[Path]) -> str | None:
    """The first file that is new, gone or different since ``recorded``; None if none is."""
    known = {key.path: key for key in recorded}
    current = [str(path.resolve()) for path in files]
    for path in current:
        key = known.get(path)
        if key is None or not key.matches(Path(path)):
            return path
    gone = sorted(set(known) - set(current))
    return gone[0] if gone else None
