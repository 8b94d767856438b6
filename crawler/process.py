"""Run one crawl job in this process (``gleaner crawl``, ``python -m crawler``)."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from twisted.python.failure import Failure

from crawler import settings as defaults
from crawler._interrupt import InterruptibleProcess
from crawler.adopt import adopt_dead_workers
from crawler.cluster import LOST
from crawler.errors import (
    CrawlerError,
    CrawlInterrupted,
    FrontierError,
    NothingToResume,
    SettingError,
)
from crawler.frontier import Frontier, connect, join_run
from crawler.jobspec import JobSpec, load_job
from crawler.run_folders import keep_job, latest_unfinished_run, new_run_dir, run_stamp
from crawler.spiders.seed import SeedSpider

__all__ = ["SpiderRun", "main", "parse_overrides", "run_crawl", "run_spider"]


def run_crawl(
    job_file: Path,
    *,
    log_level: str = "WARNING",
    overrides: Mapping[str, str] | None = None,
    resume: bool = False,
    frontier: str | None = None,
) -> Path:
    """Crawl ``job_file`` to completion; return the run folder.

    With a ``frontier`` (``redis://HOST:PORT/DB``, or the job's ``[frontier] url``), this
    process is one worker of the job's shared crawl: it joins the run the frontier names
    (or starts one) and crawls until the frontier has nothing left for any worker.

    With ``resume``, continue the job's newest run that did not finish (killed,
    or stopped with Ctrl-C) in its own folder; when there is none, raise
    :class:`NothingToResume`. Ctrl-C raises :class:`CrawlInterrupted` once the
    crawl has stopped (see :mod:`crawler._interrupt`).

    ``overrides`` are Scrapy settings given on the command line (``-s NAME=VALUE``).
    Twisted's reactor runs once per process, so call this once per process (the demo
    and the tests start a subprocess per crawl).
    """
    job = load_job(job_file)
    if frontier or job.frontier_url:
        url = frontier or job.frontier_url or ""
        return _run_worker(job_file, job, url, log_level, dict(overrides or {}), resume)
    first = not (job.output / job.name).exists()
    run_dir = _resumable(job_file, job) if resume else new_run_dir(job)
    keep_job(run_dir, job_file)
    ran = run_spider(SeedSpider, job_file, run_dir, log_level=log_level, overrides=overrides)
    if ran.refused is not None:  # a setting was refused
        # Nothing ran: leave no empty run (nor, on the job's first run, its job folder).
        if not resume:
            shutil.rmtree(run_dir.parent if first else run_dir, ignore_errors=True)
        raise CrawlerError(f"{job_file}: crawl did not run: {ran.refused}")
    process, crawler = ran.process, ran.crawler
    if process.interrupted:
        stats = crawler.stats
        pages = stats.get_value("response_received_count", 0) if stats is not None else 0
        raise CrawlInterrupted(run_dir, pages)
    return run_dir


def _run_worker(
    job_file: Path,
    job: JobSpec,
    url: str,
    log_level: str,
    overrides: dict[str, str],
    resume: bool,
) -> Path:
    """One worker of a shared frontier (see :mod:`crawler.cluster`)."""
    client = connect(url)
    lease = float(overrides.get("FRONTIER_LEASE", job.lease))
    slot = join_run(client, job.name, run_stamp(), resume=resume, lease=lease)
    run_dir = job.output / job.name / slot.name
    run_dir.mkdir(parents=True, exist_ok=True)
    keep_job(run_dir, job_file)
    prefix = f"gleaner:{job.name}:{slot.name}:"
    this = Frontier(
        client, prefix, lease=lease, concurrency=job.concurrency_per_host, min_delay=job.min_delay
    )
    adopt_dead_workers(run_dir, this, defaults.DECISIONS_FLUSH_ROWS)
    cluster = {
        "FRONTIER_LEASE": str(lease),
        "FRONTIER_PREFIX": prefix,
        "FRONTIER_URL": url,
        "FRONTIER_WORKER": this.worker,
        "SCHEDULER": "crawler.cluster.FrontierScheduler",
    }
    ran = run_spider(
        SeedSpider, job_file, run_dir, log_level=log_level, overrides=overrides | cluster
    )
    stats = ran.crawler.stats
    lost = stats.get_value(LOST) if stats is not None else None
    if lost:
        raise FrontierError(f"{job_file}: {lost}; continue with --resume once it answers")
    this.mark_closed()
    if not ran.process.interrupted and ran.refused is None:
        adopt_dead_workers(run_dir, this, defaults.DECISIONS_FLUSH_ROWS, wait=True)
    if ran.refused is not None:
        raise CrawlerError(f"{job_file}: crawl did not run: {ran.refused}")
    if ran.process.interrupted:
        stats = ran.crawler.stats
        pages = stats.get_value("response_received_count", 0) if stats is not None else 0
        raise CrawlInterrupted(run_dir, pages)
    return run_dir


@dataclass(frozen=True)
class SpiderRun:
    """A spider run to its end: ``refused`` holds the setting error when nothing ran."""

    process: InterruptibleProcess
    crawler: Crawler
    refused: CrawlerError | None


def run_spider(
    spider: type[Spider],
    job_file: Path,
    run_dir: Path,
    *,
    log_level: str = "WARNING",
    overrides: Mapping[str, str] | None = None,
) -> SpiderRun:
    """Run ``spider`` over a job file and run folder in this process, to its end.

    Our settings module, not whatever scrapy.cfg the working directory happens to find;
    ``overrides`` at command-line priority. Twisted's reactor runs once per process, so
    call this once per process. An error other than a refused setting is a bug: raised
    with its traceback.
    """
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.setdict(dict(overrides or {}), priority="cmdline")
    process = InterruptibleProcess(settings)
    crawler = process.create_crawler(spider)
    failures: list[Failure] = []
    started = process.crawl(crawler, job=str(job_file), run_dir=str(run_dir))
    started.addErrback(failures.append)
    process.start()
    if failures and isinstance(failures[0].value, CrawlerError):
        return SpiderRun(process, crawler, failures[0].value)
    if failures:
        failures[0].raiseException()
    return SpiderRun(process, crawler, None)


def _resumable(job_file: Path, job: JobSpec) -> Path:
    run_dir = latest_unfinished_run(job)
    if run_dir is None:
        raise NothingToResume(
            f"{job_file}: nothing to resume: no unfinished run of job {job.name!r} under "
            f"{job.output}; run without --resume to start a new crawl"
        )
    return run_dir


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    """``["NAME=VALUE", ...]`` → ``{"NAME": "VALUE"}``; a pair without ``=`` is refused."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SettingError("-s", pair, "must look like NAME=VALUE")
        found[name] = value
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler", description="Run one crawl job.")
    parser.add_argument("job", type=Path)
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--resume", action="store_true", help="continue the last unfinished run")
    parser.add_argument("--frontier", metavar="redis://HOST:PORT/DB", help="a shared frontier")
    args = parser.parse_args(argv)
    try:
        overrides = parse_overrides(args.set)
        print(run_crawl(args.job, overrides=overrides, resume=args.resume, frontier=args.frontier))
    except (CrawlInterrupted, KeyboardInterrupt) as exc:  # the second for Ctrl-C before the crawl
        done = f"{exc}; " if isinstance(exc, CrawlInterrupted) else "interrupted; "
        shared = f" --frontier {args.frontier}" if args.frontier else ""
        print(f"{done}continue with `gleaner crawl {args.job}{shared} --resume`", file=sys.stderr)
        return 130
    except CrawlerError as exc:  # one line; a parent (crawler.spawn) raises it as CrawlFailed
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0
