"""``verify``: check a dataset version end to end and name every mismatch.

Checks every file a version lists or implies: the manifest parses and its
digest matches its content; every shard it lists exists with the listed size,
sha256 and row count, reads back page by page with checksums verified, and has
exactly the declared :data:`~record.schema.DOCUMENT_SCHEMA`; no shard sits in
``shards/`` unlisted; ids are unique across the version; the manifest's
document count, every step's ``total = kept + dropped``, the dedup counters, the
duplicates, stats and exclusions tables and the dedup index agree with the rows;
every other listed file has its size and sha256; inputs still on disk hash as
recorded. A snapshot (format 2) is also checked against its lineage and its parent
(:mod:`pipeline._verify_snapshot`): shard origins, first versions, the delta, and the
removals. A version written before manifests recorded sizes and a digest still
verifies, with a note naming the checks that could not be made.

:func:`verify_version` never raises: a problem is a line naming the file and
what is wrong, and a check that fails unexpectedly is reported the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from pipeline._verify_files import (
    check_digest,
    check_duplicates,
    check_exclusions,
    check_index,
    check_inputs,
    check_listed_files,
    check_stats_table,
)
from pipeline._verify_read import Report, check_bytes, parquet_rows
from pipeline._verify_snapshot import added_rows, check_snapshot
from pipeline.dataset import MANIFEST
from pipeline.integrity import DIGEST, FILES
from record.schema import DOCUMENT_SCHEMA

__all__ = ["Report", "verify_version"]

T = TypeVar("T")


def verify_version(version: Path) -> Report:
    """Verify one version folder; problems are collected, never raised."""
    report = Report(version)
    manifest = _guarded(report, MANIFEST, lambda: _manifest(version, report))
    if manifest is None:
        return report
    shards = _guarded(report, "shards", lambda: _shards(version, manifest, report)) or {}
    rows = sum(shards.values())
    checks: list[tuple[str, Callable[[], object]]] = [
        ("documents", lambda: _documents(manifest, rows, added_rows(manifest, shards), report)),
        ("snapshot", lambda: check_snapshot(version, manifest, shards, report)),
        ("unique ids", lambda: _unique_ids(version, shards, report)),
        ("dedup index", lambda: check_index(version, manifest, rows, report)),
        ("stats", lambda: _stats_add_up(manifest, report)),
        ("stats table", lambda: check_stats_table(version, manifest, report)),
        ("duplicates", lambda: check_duplicates(version, manifest, report)),
        ("exclusions", lambda: check_exclusions(version, manifest, report)),
        ("listed files", lambda: check_listed_files(version, manifest, report)),
        ("inputs", lambda: check_inputs(manifest, report)),
        ("manifest digest", lambda: check_digest(manifest, report)),
        ("newer checks", lambda: _note_older_manifest(manifest, report)),
    ]
    for name, check in checks:
        _guarded(report, name, check)
    return report


def _guarded(report: Report, what: str, check: Callable[[], T]) -> T | None:
    # The contract is "never raises": a check tripping over input nobody anticipated
    # (a manifest field of the wrong type, a file changing underfoot) is one more problem.
    try:
        return check()
    except Exception as exc:
        report.problems.append(f"{what}: could not be checked: {type(exc).__name__}: {exc}")
        return None


def _manifest(version: Path, report: Report) -> dict[str, Any] | None:
    path = version / MANIFEST
    report.checked.append("manifest")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        report.problems.append(f"{path}: manifest missing")
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.problems.append(f"{path}: manifest unreadable: {exc}")
        return None
    if not isinstance(data, dict) or not isinstance(data.get("shards"), list):
        report.problems.append(f"{path}: manifest has no shard list")
        return None
    return data


def _shards(version: Path, manifest: dict[str, Any], report: Report) -> dict[str, int]:
    """The rows each readable listed shard holds, each checked; strays in ``shards/`` named."""
    good = {}
    for number, shard in enumerate(manifest["shards"]):
        if not isinstance(shard, dict) or not isinstance(shard.get("path"), str):
            report.problems.append(f"{MANIFEST}: shards[{number}] has no path")
        elif (rows := _shard_rows(version, shard, report)) is not None:
            good[shard["path"]] = rows
    listed = {s.get("path") for s in manifest["shards"] if isinstance(s, dict)}
    for path in sorted((version / "shards").glob("*.parquet")):
        if f"shards/{path.name}" not in listed:
            report.problems.append(f"shards/{path.name}: shard not listed in the manifest")
    return good


def _shard_rows(version: Path, shard: dict[str, Any], report: Report) -> int | None:
    name = shard["path"]
    if not (version / name).is_file():
        report.checked.append(name)
        report.problems.append(f"{name}: shard missing")
        return None
    check_bytes(version, shard, report)
    rows = parquet_rows(version, name, report, "shard", DOCUMENT_SCHEMA)
    if rows is not None:
        _count(f"{name} rows", shard.get("rows"), rows, report)
    return rows


def _count(what: str, declared: Any, actual: int, report: Report) -> None:
    if declared != actual:
        report.problems.append(f"{what}: manifest says {declared}, files hold {actual}")


def _documents(manifest: dict[str, Any], rows: int, added: int, report: Report) -> None:
    """The version holds ``documents``; a build's dedup kept what it added (a removal's
    version carries no build of its own)."""
    _count("documents", manifest.get("documents"), rows, report)
    kept = manifest.get("stats", {}).get("dedup", {}).get("kept")
    if kept is not None and manifest.get("kind", "build") == "build":
        _count("stats dedup/kept", kept, added, report)


def _unique_ids(version: Path, shards: dict[str, int], report: Report) -> None:
    report.checked.append("unique ids")
    if not shards:
        return
    files = ", ".join("'" + str(version / s).replace("'", "''") + "'" for s in shards)
    sql = f"SELECT id, count(*) FROM read_parquet([{files}]) GROUP BY id HAVING count(*) > 1"
    try:
        with duckdb.connect() as con:
            repeated = con.execute(sql + " ORDER BY id LIMIT 5").fetchall()
    except duckdb.Error as exc:
        report.problems.append(f"ids could not be read: {exc}")
        return
    for doc_id, n in repeated:
        report.problems.append(f"id {doc_id}: {n} rows share it")


def _stats_add_up(manifest: dict[str, Any], report: Report) -> None:
    report.checked.append("stats")
    for step, counts in manifest.get("stats", {}).items():
        if "total" in counts:
            out = counts.get("kept", 0) + counts.get("dropped", 0)
            _count(f"stats {step}/total vs kept + dropped", counts["total"], out, report)


def _note_older_manifest(manifest: dict[str, Any], report: Report) -> None:
    """Name the checks a manifest written before sizes and digests existed cannot support."""
    missing = []
    if DIGEST not in manifest:
        missing.append("edits to the manifest (no digest)")
    if FILES not in manifest:
        missing.append("changed index, duplicates, stats or exclusions bytes (no file list)")
    if any(isinstance(s, dict) and "bytes" not in s for s in manifest["shards"]):
        missing.append("shard sizes for gleaner sql (none recorded)")
    if missing:
        report.notes.append("written by an older gleaner; not checked: " + "; ".join(missing))
