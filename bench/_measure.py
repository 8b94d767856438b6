"""Run one side of a comparison as a subprocess and time it from the outside.

Both sides are timed the same way, wall clock around the whole command, so interpreter start-up,
imports and worker spawning count against each equally.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

__all__ = ["Timed", "count_parquet_rows", "tail", "timed_run"]

RUN_TIMEOUT_S = 3600


@dataclass(frozen=True, slots=True)
class Timed:
    """A finished command: wall seconds, exit status, and its stdout (stderr goes to a log)."""

    seconds: float
    returncode: int
    stdout: str
    log: Path


def timed_run(
    command: Sequence[str],
    log: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = RUN_TIMEOUT_S,
) -> Timed:
    """Run ``command``; its stderr goes to ``log`` so progress output costs no terminal time."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as stderr:
        started = time.perf_counter()
        try:
            done = subprocess.run(
                list(command),
                stdout=subprocess.PIPE,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
                text=True,
                env={**os.environ, **(env or {})},
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return Timed(time.perf_counter() - started, -1, "", log)
        seconds = time.perf_counter() - started
    return Timed(seconds, done.returncode, done.stdout, log)


def tail(path: Path, lines: int = 3) -> str:
    """The last few non-blank lines of a log, joined, for an error message."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    kept = [line.strip() for line in text.splitlines() if line.strip()]
    return " | ".join(kept[-lines:])


def count_parquet_rows(paths: Iterable[Path]) -> int:
    """Rows in the given Parquet files, from their footers (no data is read)."""
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(path).metadata.num_rows for path in paths)
