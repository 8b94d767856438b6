"""Recurring crawls: run each job of a folder when its cron expression says.

A job is due when it has never run, or when its cron expression fired since the
start of its newest run (run folders are named by their UTC start time). Each
due job runs in its own process (Twisted's reactor runs once per process), one
after the other; a run after the first is incremental (see
:mod:`crawler.recrawl`). ``run_due`` is one round (``gleaner schedule --once``);
``run_forever`` repeats it, sleeping until the next job falls due.

A job file that does not load, or a crawl that fails, is one job's problem: it
is reported (:class:`JobOutcome` with a ``problem``) and the other jobs run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from croniter import croniter

from crawler.errors import CrawlerError
from crawler.jobspec import JobSpec, load_job

__all__ = [
    "JobOutcome",
    "is_due",
    "jobs_in",
    "last_run",
    "run_due",
    "run_forever",
    "run_round",
]

Crawl = Callable[[Path], Path]


@dataclass(frozen=True)
class JobOutcome:
    """What one round did with one job file."""

    source: Path
    run: Path | None = None  # the run folder, when the job ran
    next_due: datetime | None = None
    problem: str | None = None  # why the file was skipped or its crawl failed

    def describe(self) -> str:
        """One line for people: the job, what it ran, when it is next due."""
        if self.problem:
            return f"{self.source}: skipped: {self.problem}"
        did = f"ran {self.run}" if self.run else "not due"
        when = f"{self.next_due:%Y-%m-%d %H:%M} UTC" if self.next_due else "never"
        return f"{self.source}: {did}; next due {when}"


def _load_all(folder: Path) -> list[JobSpec | JobOutcome]:
    """Every scheduled job of ``folder/*.toml``; a file that does not load, as a problem."""
    loaded: list[JobSpec | JobOutcome] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            job = load_job(path)
        except CrawlerError as exc:
            loaded.append(JobOutcome(path, problem=str(exc).removeprefix(f"{path}: ")))
            continue
        if job.cron:
            loaded.append(job)
    return loaded


def jobs_in(folder: Path) -> list[JobSpec]:
    """The scheduled jobs (those with ``[schedule] cron``) among ``folder/*.toml`` that load."""
    return [job for job in _load_all(folder) if isinstance(job, JobSpec)]


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


def run_round(folder: Path, crawl: Crawl, now: datetime | None = None) -> list[JobOutcome]:
    """Run every job that is due now, one after the other; say what became of each file."""
    moment = now or datetime.now(UTC)
    return [
        job if isinstance(job, JobOutcome) else _run_if_due(job, crawl, moment)
        for job in _load_all(folder)
    ]


def _run_if_due(job: JobSpec, crawl: Crawl, now: datetime) -> JobOutcome:
    run = None
    if is_due(job, now):
        try:
            run = crawl(job.source)
        except CrawlerError as exc:
            return JobOutcome(job.source, problem=str(exc).removeprefix(f"{job.source}: "))
    last = last_run(job)
    return JobOutcome(job.source, run, next_fire(job, last) if last else None)


def run_due(folder: Path, crawl: Crawl, now: datetime | None = None) -> list[Path]:
    """Run every job that is due now; return their run folders."""
    return [o.run for o in run_round(folder, crawl, now) if o.run is not None]


def run_forever(
    folder: Path, crawl: Crawl, poll: float = 60.0, say: Callable[[JobOutcome], None] = print
) -> None:
    """Run due jobs, then sleep until the next one is due (at most ``poll`` seconds)."""
    while True:
        for outcome in run_round(folder, crawl):
            if outcome.run or outcome.problem:
                say(outcome)
        now = datetime.now(UTC)
        fires = [next_fire(job, last_run(job) or now) for job in jobs_in(folder)]
        wait = min([(f - now).total_seconds() for f in fires], default=poll)
        time.sleep(min(poll, max(1.0, wait)))
