"""``verify``: check a dataset version end to end and name every mismatch.

Checks, in order: the manifest is present and parses; every shard it lists
exists with the listed sha256 and row count and exactly the declared
:data:`~pipeline.schema.DOCUMENT_SCHEMA`; no shard sits in ``shards/`` unlisted;
ids are unique across the version; the manifest's document count, every
step's ``total = kept + dropped``, the dedup counters, the duplicates table and
the dedup index agree with the rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from pipeline.dataset import MANIFEST
from pipeline.schema import DOCUMENT_SCHEMA
from pipeline.shards import file_sha256

__all__ = ["Report", "verify_version"]


@dataclass
class Report:
    """What ``verify`` found: the version checked, the checks run, and every problem."""

    version: Path
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_version(version: Path) -> Report:
    """Verify one version folder; problems are collected, never raised."""
    report = Report(version)
    manifest = _manifest(version, report)
    if manifest is None:
        return report
    shards = [s for s in manifest.get("shards", []) if _shard_ok(version, s, report)]
    _no_strays(version, manifest, report)
    rows = sum(int(s["rows"]) for s in shards)
    _count("documents", manifest.get("documents"), rows, report)
    kept = manifest.get("stats", {}).get("dedup", {}).get("kept")
    if kept is not None:
        _count("stats dedup/kept", kept, rows, report)
    _unique_ids(version, shards, report)
    _index_rows(version, manifest, rows, report)
    _stats_add_up(version, manifest, report)
    return report


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


def _shard_ok(version: Path, shard: dict[str, Any], report: Report) -> bool:
    path = version / shard["path"]
    report.checked.append(shard["path"])
    if not path.is_file():
        report.problems.append(f"{shard['path']}: shard missing")
        return False
    digest = file_sha256(path)
    if digest != shard.get("sha256"):
        report.problems.append(
            f"{shard['path']}: sha256 {digest} != manifest {shard.get('sha256')}"
        )
    try:
        meta = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        report.problems.append(f"{shard['path']}: not readable as Parquet: {exc}")
        return False
    if not meta.schema_arrow.equals(DOCUMENT_SCHEMA):
        report.problems.append(f"{shard['path']}: schema differs from DOCUMENT_SCHEMA")
    _count(f"{shard['path']} rows", shard.get("rows"), meta.metadata.num_rows, report)
    return True


def _count(what: str, declared: Any, actual: int, report: Report) -> None:
    if declared != actual:
        report.problems.append(f"{what}: manifest says {declared}, files hold {actual}")


def _no_strays(version: Path, manifest: dict[str, Any], report: Report) -> None:
    listed = {s["path"] for s in manifest["shards"]}
    for path in sorted((version / "shards").glob("*.parquet")):
        name = f"shards/{path.name}"
        if name not in listed:
            report.problems.append(f"{name}: shard not listed in the manifest")


def _unique_ids(version: Path, shards: list[dict[str, Any]], report: Report) -> None:
    report.checked.append("unique ids")
    if not shards:
        return
    files = ", ".join("'" + str(version / s["path"]).replace("'", "''") + "'" for s in shards)
    sql = f"SELECT id, count(*) FROM read_parquet([{files}]) GROUP BY id HAVING count(*) > 1"
    try:
        with duckdb.connect() as con:
            repeated = con.execute(sql + " ORDER BY id LIMIT 5").fetchall()
    except duckdb.Error as exc:
        report.problems.append(f"ids could not be read: {exc}")
        return
    for doc_id, n in repeated:
        report.problems.append(f"id {doc_id}: {n} rows share it")


def _index_rows(version: Path, manifest: dict[str, Any], rows: int, report: Report) -> None:
    index = manifest.get("dedup", {}).get("index")
    if not index:
        return
    path = version / index
    report.checked.append(index)
    if not path.is_file():
        report.problems.append(f"{index}: dedup index missing")
        return
    _count(f"{index} rows", rows, pq.ParquetFile(path).metadata.num_rows, report)


def _stats_add_up(version: Path, manifest: dict[str, Any], report: Report) -> None:
    report.checked.append("stats")
    for step, counts in manifest.get("stats", {}).items():
        if "total" in counts:
            out = counts.get("kept", 0) + counts.get("dropped", 0)
            _count(f"stats {step}/total vs kept + dropped", counts["total"], out, report)
    table = manifest.get("dedup", {}).get("duplicates")
    dropped = manifest.get("stats", {}).get("dedup", {}).get("dropped", 0)
    if table and (version / table).is_file():
        _count(
            f"{table} rows vs dedup/dropped",
            dropped,
            pq.ParquetFile(version / table).metadata.num_rows,
            report,
        )
