"""``verify``'s checks of everything a version holds besides its shards.

The dedup index, the duplicates and stats tables, one exclusions file per input,
every file the manifest lists, the inputs' checksums and the manifest's own
digest. Each check appends problem lines to the report and never raises.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline._verify_read import Report, check_bytes, parquet_rows
from pipeline.dataset import MANIFEST
from pipeline.integrity import DIGEST, FILES, manifest_digest
from pipeline.schema import DUPLICATE_SCHEMA, FORMER_DUPLICATE_SCHEMA, STATS_SCHEMA
from pipeline.shards import file_sha256
from record.schema import EXCLUSION_SCHEMA

__all__ = [
    "check_digest",
    "check_duplicates",
    "check_exclusions",
    "check_index",
    "check_inputs",
    "check_listed_files",
    "check_stats_table",
]

STATS_FILE = "stats/stats.parquet"


def check_index(version: Path, manifest: dict[str, Any], rows: int, report: Report) -> None:
    """The dedup index holds one row per document of the version, and its recorded size."""
    dedup = manifest.get("dedup", {})
    index = dedup.get("index")
    if not index:
        return
    held = parquet_rows(version, index, report, "dedup index")
    if held is None:
        return
    if held != rows:
        report.problems.append(f"{index}: {held} rows, the shards hold {rows} documents")
    size, actual = dedup.get("index_bytes"), (version / index).stat().st_size
    if size is not None and actual != size:
        report.problems.append(f"{index}: {actual} bytes, the manifest says {size}")


def check_duplicates(version: Path, manifest: dict[str, Any], report: Report) -> None:
    """One duplicates row per document dedup dropped, with the declared columns (or the
    former ones, without the document's row, of versions written before them)."""
    table = manifest.get("dedup", {}).get("duplicates")
    if not table:
        return
    held = parquet_rows(version, table, report, "duplicates table")
    if held is None:
        return
    schema = pq.read_schema(version / table)
    if not any(schema.equals(s) for s in (DUPLICATE_SCHEMA, FORMER_DUPLICATE_SCHEMA)):
        report.problems.append(f"{table}: schema differs from the declared one")
    dropped = manifest.get("stats", {}).get("dedup", {}).get("dropped", 0)
    if held != dropped:
        report.problems.append(f"{table}: {held} rows, the manifest's dedup/dropped is {dropped}")


def check_stats_table(version: Path, manifest: dict[str, Any], report: Report) -> None:
    """``stats/stats.parquet`` holds exactly the manifest's counters."""
    if parquet_rows(version, STATS_FILE, report, "stats table", STATS_SCHEMA) is None:
        return
    rows = pq.read_table(version / STATS_FILE).to_pylist()
    table = {(r["step"], r["counter"]): r["value"] for r in rows}
    listed = {
        (step, counter): value
        for step, counts in manifest.get("stats", {}).items()
        for counter, value in counts.items()
    }
    if table != listed:
        differ = sorted(set(table.items()) ^ set(listed.items()))
        step, counter = differ[0][0]
        report.problems.append(
            f"{STATS_FILE}: {len(differ)} counter(s) differ from the manifest, "
            f"first {step}/{counter}"
        )


def check_exclusions(version: Path, manifest: dict[str, Any], report: Report) -> None:
    """Stage 1 wrote one exclusions file per input (the documents its steps dropped)."""
    for index in range(len(manifest.get("inputs", []))):
        name = f"exclusions/{index:05d}.parquet"
        parquet_rows(version, name, report, "exclusions file", EXCLUSION_SCHEMA)


def check_listed_files(version: Path, manifest: dict[str, Any], report: Report) -> None:
    """Every file in the manifest's file list has its size and sha256; none is unlisted."""
    files = manifest.get(FILES)
    if not isinstance(files, list):
        return
    listed = set()
    for number, entry in enumerate(files):
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            report.problems.append(f"{MANIFEST}: files[{number}] has no path")
            continue
        listed.add(entry["path"])
        check_bytes(version, entry, report)
    for path in sorted(p for p in version.rglob("*") if p.is_file()):
        name = path.relative_to(version).as_posix()
        if name != MANIFEST and not name.startswith("shards/") and name not in listed:
            report.problems.append(f"{name}: file not listed in the manifest")


def check_inputs(manifest: dict[str, Any], report: Report) -> None:
    """Inputs still on disk hash to the recorded sha256; a vanished input is only a note."""
    report.checked.append("inputs")
    for entry in manifest.get("inputs", []):
        path = Path(str(entry.get("path", "")))
        if not path.is_file():
            report.notes.append(f"input {path}: no longer exists; its sha256 was not compared")
        elif (digest := file_sha256(path)) != entry.get("sha256"):
            report.problems.append(
                f"input {path}: sha256 {digest} != manifest {entry.get('sha256')}"
            )


def check_digest(manifest: dict[str, Any], report: Report) -> None:
    """The manifest's digest matches its content: nothing in it was edited after the build."""
    report.checked.append("manifest digest")
    recorded = manifest.get(DIGEST)
    if recorded is None:
        return
    if (actual := manifest_digest(manifest)) != recorded:
        report.problems.append(
            f"{MANIFEST}: content digest {actual} != recorded {recorded} "
            "(edited after the version was written)"
        )
