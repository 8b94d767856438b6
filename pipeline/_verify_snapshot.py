"""``verify``'s checks of a snapshot (format 2) against its lineage and its parent.

A snapshot lists every shard of its dataset, each with how it relates to the parent
(``origin``) and the version that first wrote its bytes (``first_version``, a version of
the lineage). Its ``delta`` must add up: the parent's documents, minus those
``removals.parquet`` lists, plus the rows of the added shards, are this version's
documents. Every removed id was in the parent and is not in this version. Format-1
versions (increments) have none of this; each check appends problem lines and never raises.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from pipeline._verify_read import Report, parquet_rows
from pipeline.lineage import VersionView, view
from pipeline.schema import REMOVAL_SCHEMA
from pipeline.versions.files import ORIGINS

__all__ = ["REMOVALS_FILE", "added_rows", "check_snapshot"]

REMOVALS_FILE = "removals.parquet"


def added_rows(manifest: dict[str, Any], shards: dict[str, int]) -> int:
    """Rows of the shards this version added (every shard of a format-1 version)."""
    if int(manifest.get("format", 1)) < 2:
        return sum(shards.values())
    return sum(rows for path, rows in shards.items() if _origin(manifest, path) == "added")


def check_snapshot(
    version: Path, manifest: dict[str, Any], shards: dict[str, int], report: Report
) -> None:
    """Origins, first versions, the delta and the removals of a format-2 version."""
    if int(manifest.get("format", 1)) < 2:
        return
    report.checked.append("snapshot")
    snapshot = view(version)
    _check_entries(snapshot, report)
    delta = manifest.get("delta")
    if not isinstance(delta, dict):
        report.problems.append("manifest: no delta (what changed since the parent)")
        return
    _count("delta.added", delta.get("added"), added_rows(manifest, shards), report)
    if delta.get("parent") != manifest.get("parent"):
        report.problems.append(
            f"manifest: delta.parent {delta.get('parent')!r} != parent {manifest.get('parent')!r}"
        )
    parent = _parent(snapshot, report)
    removed = _check_removals(snapshot, parent, delta, report)
    if parent is not None:
        before = sum(pq.ParquetFile(p).metadata.num_rows for p in parent.shards)
        expected = before - removed + added_rows(manifest, shards)
        _count(
            f"documents (parent {parent.name}: {before} - {removed} removed + added)",
            expected,
            sum(shards.values()),
            report,
        )


def _check_entries(snapshot: VersionView, report: Report) -> None:
    names = {folder.name for folder in snapshot.lineage}
    for entry in snapshot.manifest["shards"]:
        path, origin, first = entry.get("path"), entry.get("origin"), entry.get("first_version")
        if origin not in ORIGINS:
            report.problems.append(f"{path}: origin {origin!r} is not one of {', '.join(ORIGINS)}")
        if first not in names:
            report.problems.append(f"{path}: first_version {first!r} is no version of its lineage")
        elif origin in ("added", "rewritten") and first != snapshot.name:
            report.problems.append(f"{path}: {origin} here but first_version says {first}")


def _parent(snapshot: VersionView, report: Report) -> VersionView | None:
    name = snapshot.manifest.get("parent")
    if name is None:
        return None
    found = [folder for folder in snapshot.lineage if folder.name == name]
    if not found:
        report.notes.append(f"parent {name} is not beside this version; the delta was not compared")
        return None
    return view(found[0])


def _check_removals(
    snapshot: VersionView, parent: VersionView | None, delta: dict[str, Any], report: Report
) -> int:
    """The removals table: its schema, its count, and ids gone from the parent; its rows."""
    path = snapshot.folder / REMOVALS_FILE
    if not path.is_file():
        _count("delta.removed (no removals.parquet)", delta.get("removed", 0), 0, report)
        return 0
    rows = parquet_rows(snapshot.folder, REMOVALS_FILE, report, "removals table", REMOVAL_SCHEMA)
    if rows is None:
        return 0
    _count("delta.removed", delta.get("removed"), rows, report)
    with duckdb.connect() as con:
        table = f"read_parquet({_list([path])})"
        still = con.execute(
            f"SELECT count(*) FROM {table} WHERE id IN "
            f"(SELECT id FROM read_parquet({_list(list(snapshot.shards))}))"
        ).fetchone()
        _none(f"{REMOVALS_FILE}: removed ids still in this version", still, report)
        if parent is None:
            return rows
        wrong = con.execute(
            f"SELECT count(*) FROM {table} WHERE removed_from IS DISTINCT FROM ?", [parent.name]
        ).fetchone()
        _none(f"{REMOVALS_FILE}: rows whose removed_from is not {parent.name}", wrong, report)
        absent = con.execute(
            f"SELECT count(*) FROM {table} WHERE id NOT IN "
            f"(SELECT id FROM read_parquet({_list(list(parent.shards))}))"
        ).fetchone()
        _none(f"{REMOVALS_FILE}: removed ids that were not in {parent.name}", absent, report)
    return rows


def _none(what: str, found: tuple[Any, ...] | None, report: Report) -> None:
    if found and found[0]:
        report.problems.append(f"{what}: {found[0]}")


def _count(what: str, declared: Any, actual: int, report: Report) -> None:
    if declared != actual:
        report.problems.append(f"{what}: manifest says {declared}, files hold {actual}")


def _origin(manifest: dict[str, Any], path: str) -> Any:
    return next((s.get("origin") for s in manifest["shards"] if s.get("path") == path), None)


def _list(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"
