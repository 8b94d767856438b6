"""Recurring crawls: run each job of a folder when its cron expression says.

A job is due when it has never run, or when its cron expression fired since the
start of its newest run (run folders are named by their UTC start time). Each
due job runs in its own process (Twisted's reactor runs once per process), one
after the other; a run after the first is incremental (see
:mod:`crawler.recrawl`). ``run_due`` is one round (``gleaner schedule --once``);
``run_forever`` repeats it, sleeping until the next job falls due.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from croniter import croniter

from crawler.jobspec import JobSpec, load_job

__all__ = ["is_due", "jobs_in", "last_run", "run_due", "run_forever"]

Crawl = Callable[[Path], Path]


def jobs_in(folder: Path) -> list[JobSpec]:
    """The scheduled jobs (those with ``[schedule] cron``) among ``folder/*.toml``."""
    jobs = [load_job(path) for path in sorted(folder.glob("*.toml"))]
    return [job for job in jobs if job.cron]


def last_run(job: JobSpec) -> datetime | None:
    """The start time of the job's newest run, from its folder name."""
    base = job.output / job.name
    stamps = []
    for run in base.iterdir() if base.is_dir() else ():
        try:
            stamps.append(datetime.strptime(run.name[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC))
        except ValueError:
            continue
    return max(stamps, default=None)


def next_fire(job: JobSpec, after: datetime) -> datetime:
    fire: datetime = croniter(job.cron, after).get_next(datetime)
    return fire


def is_due(job: JobSpec, now: datetime) -> bool:
    last = last_run(job)
    return last is None or next_fire(job, last) <= now


def run_due(folder: Path, crawl: Crawl, now: datetime | None = None) -> list[Path]:
    """Run every job that is due now; return their run folders."""
    moment = now or datetime.now(UTC)
    return [crawl(job.source) for job in jobs_in(folder) if is_due(job, moment)]


def run_forever(folder: Path, crawl: Crawl, poll: float = 60.0) -> None:
    """Run due jobs, then sleep until the next one is due (at most ``poll`` seconds)."""
    while True:
        run_due(folder, crawl)
        now = datetime.now(UTC)
        fires = [next_fire(job, last_run(job) or now) for job in jobs_in(folder)]
        wait = min([(f - now).total_seconds() for f in fires], default=poll)
        time.sleep(min(poll, max(1.0, wait)))
