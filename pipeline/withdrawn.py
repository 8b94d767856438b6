"""Stage 1: what a version removed stays out of every later build of the dataset.

A removal (``gleaner remove``, ``gleaner expire``, an opt-out refresh) takes documents out
of a version, but the inputs still hold them and ids are stable, so a rebuild of the same
inputs would bring them back. Before stage 1 the build lists the id of every removal its
parent's lineage made; this step drops those documents (``removed_earlier``, named in
``exclusions/``), whatever their input says now.

A ``gleaner remove`` by host, domain, URL prefix or licensor is a standing request: the
publisher asked for their pages out, not for one crawl's copies of them. Its selector is
kept in the version's manifest (``standing_removal``), and this step also drops every later
document it names (``removed_by_request``), from new crawls too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.document import Document
from pipeline.lineage import VersionView, read_manifest
from pipeline.step import KEEP, Drop, FilterStep
from pipeline.versions.removal import removed_ids
from pipeline.versions.select import STANDING, Selector

__all__ = [
    "WITHDRAWN_FILE",
    "Withdrawals",
    "Withdrawn",
    "load_withdrawals",
    "save_withdrawals",
    "withdrawals_of",
]

#: Scratch file of the staging folder (gone when the version is committed).
WITHDRAWN_FILE = "work/withdrawn.json"


@dataclass(frozen=True)
class Withdrawals:
    """Ids removed by the lineage, and the standing requests (selectors) it holds."""

    ids: frozenset[str] = frozenset()
    selectors: tuple[Selector, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.ids or self.selectors)


class Withdrawn(FilterStep):
    """Drop the documents an earlier version removed, and those a standing request names."""

    name = "withdrawn"

    def __init__(self, withdrawals: Withdrawals) -> None:
        super().__init__()
        self.ids = withdrawals.ids
        self.rules: list[tuple[Callable[[dict[str, Any]], bool], str]] = [
            (s.matcher(), s.describe()) for s in withdrawals.selectors
        ]

    def decide(self, doc: Document) -> Drop | None:
        if doc.id in self.ids:
            return Drop("removed_earlier")
        if self.rules:
            row = _row(doc)
            for match, described in self.rules:
                if match(row):
                    doc.metadata["evidence"] = f"requested by {described}"
                    return Drop("removed_by_request")
        return KEEP


def _row(doc: Document) -> dict[str, Any]:
    """The columns a selector reads, as the document stands before extraction."""
    return {
        "id": doc.id,
        "url": doc.url,
        "host": doc.host,
        "domain": doc.metadata.get("domain"),
        "licensor": doc.licensor,
    }


def withdrawals_of(parent: VersionView | None) -> Withdrawals:
    """Every id the lineage of ``parent`` removed, and the standing requests it holds."""
    if parent is None:
        return Withdrawals()
    ids = removed_ids(parent)
    standing = [read_manifest(folder).get(STANDING) for folder in parent.lineage]
    selectors = tuple(Selector(s["kind"], tuple(s["values"])) for s in standing if s)
    return Withdrawals(frozenset(ids), selectors)


def save_withdrawals(parent: VersionView | None, staging: Path) -> None:
    """Write what the lineage of ``parent`` removed and still asks to keep out (none: no file)."""
    path = staging / WITHDRAWN_FILE
    path.unlink(missing_ok=True)
    found = withdrawals_of(parent)
    if found:
        path.parent.mkdir(parents=True, exist_ok=True)
        selectors = [{"kind": s.kind, "values": list(s.values)} for s in found.selectors]
        text = json.dumps({"ids": sorted(found.ids), "selectors": selectors}, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")


def load_withdrawals(work_dir: Path) -> Withdrawals:
    """What :func:`save_withdrawals` wrote for the build whose work folder is ``work_dir``."""
    path = work_dir.parent / WITHDRAWN_FILE
    if not path.is_file():
        return Withdrawals()
    data = json.loads(path.read_text(encoding="utf-8"))
    selectors = tuple(Selector(s["kind"], tuple(s["values"])) for s in data["selectors"])
    return Withdrawals(frozenset(data["ids"]), selectors)
