"""Stage 1: a document a version removed stays out of every later build of the dataset.

A removal (``gleaner remove``, ``gleaner expire``, an opt-out refresh) takes documents out
of a version, but the inputs still hold them and ids are stable, so a rebuild of the same
inputs would bring them back. Before stage 1 the build lists the id of every removal its
parent's lineage made; this step drops those documents (``removed_earlier``, named in
``exclusions/``), whatever their input says now.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from pipeline.document import Document
from pipeline.lineage import VersionView
from pipeline.step import KEEP, Drop, FilterStep

__all__ = ["REMOVED_IDS", "Withdrawn", "load_removed_ids", "save_removed_ids"]

#: Scratch file of the staging folder (gone when the version is committed).
REMOVED_IDS = "work/removed-ids.txt"


class Withdrawn(FilterStep):
    """Drop the documents an earlier version removed."""

    name = "withdrawn"

    def __init__(self, ids: frozenset[str]) -> None:
        super().__init__()
        self.ids = ids

    def decide(self, doc: Document) -> Drop | None:
        return Drop("removed_earlier") if doc.id in self.ids else KEEP


def save_removed_ids(parent: VersionView | None, staging: Path) -> None:
    """Write the id of every document the lineage of ``parent`` removed (none: no file)."""
    path = staging / REMOVED_IDS
    path.unlink(missing_ok=True)
    tables = parent.history("removals.parquet") if parent else []
    ids = sorted({i for _, f in tables for i in pq.read_table(f, columns=["id"])["id"].to_pylist()})
    if ids:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{i}\n" for i in ids), encoding="utf-8")


def load_removed_ids(work_dir: Path) -> frozenset[str]:
    """What :func:`save_removed_ids` wrote for the build whose work folder is ``work_dir``."""
    path = work_dir.parent / REMOVED_IDS
    if not path.is_file():
        return frozenset()
    return frozenset(path.read_text(encoding="utf-8").split())
