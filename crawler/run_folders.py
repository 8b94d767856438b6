"""Run folders: where each crawl of a job writes.

Each crawl writes to ``<output>/<job>/<run-id>/`` (``warc/``, ``decisions/``,
``robots/``, ``stats.json``, and ``job.toml``, a copy of the job file it ran, so
that a later opt-out refresh can speak with the same identity); the run id is the
UTC start time, so runs sort in the order they happened.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from crawler.jobspec import JobSpec

__all__ = [
    "JOB_COPY",
    "keep_job",
    "latest_unfinished_run",
    "mark_finished",
    "new_run_dir",
    "new_run_folder",
    "run_stamp",
]

#: The copy of the job file a run keeps (its identity and politeness, for a refresh).
JOB_COPY = "job.toml"

_FINISHED = "finished"  # under state/: the crawl ran to its end


def new_run_dir(job: JobSpec, now: datetime | None = None) -> Path:
    """Create and return a fresh run folder for ``job``."""
    return new_run_folder(job.output / job.name, now)


def run_stamp(now: datetime | None = None) -> str:
    """A run id: the UTC start time, so that runs sort in the order they happened."""
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def new_run_folder(base: Path, now: datetime | None = None) -> Path:
    """Create and return ``base/<UTC start time>`` (``-2``, ``-3`` ... when taken)."""
    stamp = run_stamp(now)
    candidate, n = base / stamp, 1
    while candidate.exists():
        n += 1
        candidate = base / f"{stamp}-{n}"
    candidate.mkdir(parents=True)
    return candidate


def latest_unfinished_run(job: JobSpec) -> Path | None:
    """The newest run of ``job`` that has state but never finished (killed or stopped)."""
    base = job.output / job.name
    runs = sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []
    for run in reversed(runs):
        if (run / "state").is_dir():
            return None if (run / "state" / _FINISHED).exists() else run
    return None


def mark_finished(run_dir: Path) -> None:
    """Say that the run in ``run_dir`` crawled everything it found."""
    (run_dir / "state" / _FINISHED).write_text("finished\n", encoding="utf-8")


def keep_job(run_dir: Path, job_file: Path) -> None:
    """Keep a copy of the job file in the run folder (once: a resumed run keeps the first)."""
    copy = run_dir / JOB_COPY
    if not copy.exists():
        shutil.copyfile(job_file, copy)
