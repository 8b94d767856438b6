"""Run one side of a comparison as a subprocess and time it from the outside.

Both sides are timed the same way, wall clock around the whole command, so interpreter start-up,
imports and worker spawning count against each equally. Asked for, the peak memory is the
largest sum of resident set sizes over the command's whole process tree (the command and every
worker it starts), sampled from ``/proc`` every 20 ms: a peak shorter than that can be missed,
and outside Linux it is not measured (0).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

__all__ = ["Timed", "count_parquet_rows", "gleaner_command", "tail", "timed_run", "tree_rss"]

RUN_TIMEOUT_S = 3600
_SAMPLE_S = 0.02
_PROC = Path("/proc")


@dataclass(frozen=True, slots=True)
class Timed:
    """A finished command: wall seconds, exit status, and its stdout (stderr goes to a log)."""

    seconds: float
    returncode: int
    stdout: str
    log: Path
    peak_bytes: int = 0


def timed_run(
    command: Sequence[str],
    log: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = RUN_TIMEOUT_S,
    memory: bool = False,
) -> Timed:
    """Run ``command``; its stderr goes to ``log`` so progress output costs no terminal time.

    ``memory``: also sample the process tree's resident memory (``Timed.peak_bytes``)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(command),
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **(env or {})},
        )
        sampler = _PeakSampler(process.pid) if memory else None
        try:
            stdout, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return Timed(time.perf_counter() - started, -1, "", log)
        finally:
            peak = sampler.stop() if sampler else 0
        seconds = time.perf_counter() - started
    return Timed(seconds, process.returncode, stdout, log, peak)


class _PeakSampler:
    """Polls the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._done.wait(_SAMPLE_S):
            self.peak = max(self.peak, tree_rss(self.pid))

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        return self.peak


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every descendant now alive (0 where /proc is missing)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += _rss(current)
        pending += _children(current)
    return total


def _rss(pid: int) -> int:
    try:
        fields = (_PROC / str(pid) / "statm").read_text().split()
    except (OSError, IndexError):
        return 0  # gone already, or not Linux
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    children: list[int] = []
    try:
        for task in (_PROC / str(pid) / "task").iterdir():
            children += [int(child) for child in (task / "children").read_text().split()]
    except OSError:
        pass  # the process (or a thread) ended while we looked
    return children


def gleaner_command() -> list[str] | None:
    """The ``gleaner`` console script beside the interpreter running the harness (Gleaner's
    venv), else the one on ``PATH``; None if there is none."""
    script = Path(sys.executable).parent / "gleaner"
    if script.exists():
        return [str(script)]
    found = shutil.which("gleaner")
    return [found] if found else None


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
