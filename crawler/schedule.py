"""Recurring crawls: run each job of a folder when its cron expression says.

A job is due when it has never run, or when its cron expression fired since the
start of its newest run (run folders are named by their UTC start time). Each
due job runs in its own process (Twisted's reactor runs once per process), one
after the other; a run after the first is incremental (see
:mod:`crawler.recrawl`). ``run_due`` is one round (``gleaner schedule --once``);
``run_forever`` repeats it, sleeping until the next job falls due.

A job may also carry a ``[refresh]`` table: datasets whose publishers are asked
again (``gleaner optout refresh``) on its own cron. A dataset's refresh is due when
it was never refreshed, or when the cron fired since its newest refresh run
(``<dataset>/refresh/<run-id>/``, named by UTC start time); an opt-out published
just after a refresh is honoured within one cron interval plus the refresh's own
run time. The refresh itself is given (``refresh``): the crawler cannot import the
pipeline that judges and writes the version.

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
    "refresh_due",
    "run_due",
    "run_forever",
    "run_round",
]

Crawl = Callable[[Path], Path]
#: ``(dataset, job file) -> one line`` saying what the refresh did.
Refresh = Callable[[Path, Path], str]

_REFRESH_RUNS = "refresh"  # under a dataset: its refresh run folders


@dataclass(frozen=True)
class JobOutcome:
    """What one round did with one job file."""

    source: Path
    run: Path | None = None  # the run folder, when the job ran
    next_due: datetime | None = None
    problem: str | None = None  # why the file was skipped or its crawl failed
    refreshed: tuple[str, ...] = ()  # one line per dataset refreshed this round

    def describe(self) -> str:
        """One line for people: the job, what it ran, when it is next due."""
        if self.problem:
            return f"{self.source}: skipped: {self.problem}"
        did = f"ran {self.run}" if self.run else "not due"
        when = f"{self.next_due:%Y-%m-%d %H:%M} UTC" if self.next_due else "never"
        refreshed = "".join(f"; {line}" for line in self.refreshed)
        return f"{self.source}: {did}; next due {when}{refreshed}"


def _load_all(folder: Path) -> list[JobSpec | JobOutcome]:
    """Every scheduled job of ``folder/*.toml``; a file that does not load, as a problem."""
    loaded: list[JobSpec | JobOutcome] = []
    for path in sorted(folder.glob("*.toml")):
        try:
            job = load_job(path)
        except CrawlerError as exc:
            loaded.append(JobOutcome(path, problem=str(exc).removeprefix(f"{path}: ")))
            continue
        if job.cron or job.refresh_cron:
            loaded.append(job)
    return loaded


def jobs_in(folder: Path) -> list[JobSpec]:
    """The scheduled jobs (those with ``[schedule] cron``) among ``folder/*.toml`` that load."""
    return [job for job in _load_all(folder) if isinstance(job, JobSpec)]


def last_run(job: JobSpec) -> datetime | None:
    """The start time of the job's newest run, from its folder name."""
    return max(_stamps(job.output / job.name), default=None)


def _stamps(base: Path) -> list[datetime]:
    stamps = []
    for run in base.iterdir() if base.is_dir() else ():
        try:
            stamps.append(datetime.strptime(run.name[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC))
        except ValueError:
            continue
    return stamps


def next_fire(job: JobSpec, after: datetime, cron: str | None = None) -> datetime:
    fire: datetime = croniter(cron or job.cron, after).get_next(datetime)
    return fire


def is_due(job: JobSpec, now: datetime) -> bool:
    if not job.cron:
        return False
    last = last_run(job)
    return last is None or next_fire(job, last) <= now


def refresh_due(job: JobSpec, dataset: Path, now: datetime) -> bool:
    """Whether ``dataset`` (of the job's ``[refresh]``) should be refreshed at ``now``."""
    if not job.refresh_cron:
        return False
    last = max(_stamps(dataset / _REFRESH_RUNS), default=None)
    return last is None or next_fire(job, last, job.refresh_cron) <= now


def run_round(
    folder: Path, crawl: Crawl, now: datetime | None = None, refresh: Refresh | None = None
) -> list[JobOutcome]:
    """Run every job that is due now, one after the other; say what became of each file."""
    moment = now or datetime.now(UTC)
    return [
        job if isinstance(job, JobOutcome) else _run_if_due(job, crawl, moment, refresh)
        for job in _load_all(folder)
    ]


def _refresh_due(job: JobSpec, refresh: Refresh | None, now: datetime) -> tuple[str, ...]:
    if refresh is None:
        return ()
    lines = []
    for dataset in job.refresh_datasets:
        if refresh_due(job, dataset, now):
            try:
                lines.append(f"refresh {dataset}: {refresh(dataset, job.source)}")
            except CrawlerError as exc:
                lines.append(f"refresh {dataset}: failed: {exc}")
    return tuple(lines)


def _run_if_due(job: JobSpec, crawl: Crawl, now: datetime, refresh: Refresh | None) -> JobOutcome:
    run = None
    refreshed = _refresh_due(job, refresh, now)
    if is_due(job, now):
        try:
            run = crawl(job.source)
        except CrawlerError as exc:
            return JobOutcome(job.source, problem=str(exc).removeprefix(f"{job.source}: "))
    last = last_run(job)
    due = next_fire(job, last) if last and job.cron else None
    return JobOutcome(job.source, run, due, refreshed=refreshed)


def run_due(folder: Path, crawl: Crawl, now: datetime | None = None) -> list[Path]:
    """Run every job that is due now; return their run folders."""
    return [o.run for o in run_round(folder, crawl, now) if o.run is not None]


def run_forever(
    folder: Path,
    crawl: Crawl,
    poll: float = 60.0,
    say: Callable[[JobOutcome], None] = print,
    refresh: Refresh | None = None,
) -> None:
    """Run due jobs, then sleep until the next one is due (at most ``poll`` seconds)."""
    while True:
        for outcome in run_round(folder, crawl, refresh=refresh):
            if outcome.run or outcome.problem or outcome.refreshed:
                say(outcome)
        now = datetime.now(UTC)
        fires = [next_fire(job, last_run(job) or now) for job in jobs_in(folder) if job.cron]
        wait = min([(f - now).total_seconds() for f in fires], default=poll)
        time.sleep(min(poll, max(1.0, wait)))
