"""Helpers ``verify`` reads files with: every failure becomes a problem line, never a raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.shards import file_sha256

__all__ = ["Report", "check_bytes", "parquet_rows"]


@dataclass
class Report:
    """What ``verify`` found: the checks run, every problem, and notes that are not failures."""

    version: Path
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def parquet_rows(
    version: Path, relative: str, report: Report, kind: str, schema: pa.Schema | None = None
) -> int | None:
    """Read every page of the ``kind`` file (checksums verified); its row count, or None."""
    path = version / relative
    report.checked.append(relative)
    if not path.is_file():
        report.problems.append(f"{relative}: {kind} missing")
        return None
    try:
        parquet = pq.ParquetFile(path, page_checksum_verification=True)
        rows: int = sum(batch.num_rows for batch in parquet.iter_batches())
    # Damaged bytes surface from pyarrow as OSError, ArrowInvalid, NotImplementedError,
    # OverflowError and more; whichever it is, the file is unreadable and verify goes on.
    except Exception as exc:
        report.problems.append(f"{relative}: not readable as Parquet: {_short(exc)}")
        return None
    if rows != parquet.metadata.num_rows:
        # A damaged page header can drop a page without failing a checksum.
        footer = parquet.metadata.num_rows
        report.problems.append(f"{relative}: pages hold {rows} rows, the footer says {footer}")
    if schema is not None and not parquet.schema_arrow.equals(schema):
        report.problems.append(f"{relative}: schema differs from the declared one")
    return rows


def check_bytes(version: Path, entry: dict[str, Any], report: Report) -> None:
    """Compare a listed file's size and sha256 with its manifest entry, where recorded."""
    relative = entry["path"]
    path = version / relative
    if not path.is_file():
        report.problems.append(f"{relative}: missing")
        return
    size = path.stat().st_size
    if "bytes" in entry and size != entry["bytes"]:
        report.problems.append(f"{relative}: {size} bytes, the manifest says {entry['bytes']}")
    if "sha256" in entry and (digest := file_sha256(path)) != entry["sha256"]:
        report.problems.append(f"{relative}: sha256 {digest} != manifest {entry['sha256']}")


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200]
