"""What taking a document out of a version records, and what earlier versions took out.

A rule judges a document row (every column but its text) and answers with a
:class:`Removal` naming why, or ``None`` to keep it. Each removal becomes one row of
the new version's ``removals.parquet`` (:data:`~pipeline.schema.REMOVAL_SCHEMA`): the
document's identity, the version it left, the reason in the shared vocabulary
(``opt_out/<signal>``, ``robots_unreachable``, ``requested``, ``licence_expired``), the
evidence, the command that asked, when, and the duplicate that took its place.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.lineage import VersionView
from pipeline.schema import REMOVAL_SCHEMA

__all__ = ["REMOVALS_FILE", "Judge", "Removal", "removal_row", "removed_ids", "write_removals"]

#: The table of documents a version removed from its parent.
REMOVALS_FILE = "removals.parquet"


@dataclass(frozen=True)
class Removal:
    """Why one document leaves: ``reason`` from the shared vocabulary, plus the signal,
    rule and evidence that decided it when there are any."""

    id: str
    reason: str
    deciding_signal: str | None = None
    rule: str | None = None
    evidence: str | None = None


#: Called with a document row without its text column; ``None`` keeps the document.
Judge = Callable[[dict[str, Any]], Removal | None]

_IDENTITY = ("url", "host", "domain", "source", "licensor")


def removal_row(
    document: Mapping[str, Any],
    removal: Removal,
    *,
    parent: str,
    request: str,
    note: str | None,
    at: datetime,
    replaced_by: str | None = None,
) -> dict[str, Any]:
    """The ``removals.parquet`` row of ``document`` (a shard row) leaving ``parent``."""
    return {
        "id": removal.id,
        **{key: document.get(key) for key in _IDENTITY},
        "removed_from": parent,
        "reason": removal.reason,
        "deciding_signal": removal.deciding_signal,
        "rule": removal.rule,
        "evidence": removal.evidence,
        "note": note,
        "request": request,
        "removed_at": at,
        "replaced_by": replaced_by,
    }


def write_removals(path: Path, rows: Iterable[Mapping[str, Any]]) -> None:
    """Write the rows (an empty table when there are none), atomically."""
    table = pa.Table.from_pylist(list(rows), schema=REMOVAL_SCHEMA)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def removed_ids(snapshot: VersionView) -> set[str]:
    """Every document id a version of the lineage removed, up to ``snapshot``.

    Removals are for ever: a later build must leave these ids out, even when its inputs
    still hold the documents.
    """
    found: set[str] = set()
    for _version, path in snapshot.history(REMOVALS_FILE):
        found.update(pq.read_table(path, columns=["id"]).column("id").to_pylist())
    return found
