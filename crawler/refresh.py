"""Run an opt-out refresh crawl in this process: ``python -m crawler.refresh JOB RUN_DIR``.

The run folder is an ordinary one (``warc/``, ``decisions/``, ``robots/``,
``stats.json``, ``state/finished``) holding ``hosts.txt``, the authorities to ask
again; :func:`new_refresh_run` makes it. The job gives the identity (User-Agent,
tokens), the politeness and ``[scope] allow_private``; its seeds are not used.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from scrapy.settings import Settings
from twisted.python.failure import Failure

from crawler._interrupt import InterruptibleProcess
from crawler.errors import CrawlerError, CrawlInterrupted
from crawler.process import parse_overrides
from crawler.run_folders import keep_job, new_run_folder
from crawler.spiders.refresh import RefreshSpider

__all__ = ["HOSTS_FILE", "main", "new_refresh_run", "run_refresh"]

#: The authorities a refresh run asks, one per line.
HOSTS_FILE = "hosts.txt"


def new_refresh_run(base: Path, job_file: Path, authorities: Iterable[str]) -> Path:
    """A fresh run folder under ``base`` holding the job copy and ``hosts.txt``."""
    run_dir = new_run_folder(base)
    keep_job(run_dir, job_file)
    (run_dir / HOSTS_FILE).write_text("".join(f"{a}\n" for a in authorities), encoding="utf-8")
    return run_dir


def run_refresh(
    job_file: Path,
    run_dir: Path,
    *,
    log_level: str = "WARNING",
    overrides: Mapping[str, str] | None = None,
) -> Path:
    """Fetch the site-level files of every authority in ``run_dir/hosts.txt``; return the run.

    Twisted's reactor runs once per process: call this once per process
    (:func:`crawler.spawn.refresh_in_subprocess` starts one).
    """
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.setdict(dict(overrides or {}), priority="cmdline")
    process = InterruptibleProcess(settings)
    crawler = process.create_crawler(RefreshSpider)
    failures: list[Failure] = []
    started = process.crawl(crawler, job=str(job_file), run_dir=str(run_dir))
    started.addErrback(failures.append)
    process.start()
    if failures and isinstance(failures[0].value, CrawlerError):
        raise CrawlerError(f"{job_file}: refresh did not run: {failures[0].value}")
    if failures:
        failures[0].raiseException()  # anything else is a bug: keep its traceback
    if process.interrupted:
        raise CrawlInterrupted(run_dir, 0)
    return run_dir


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.refresh", description="Fetch site-level files again."
    )
    parser.add_argument("job", type=Path)
    parser.add_argument("run_dir", type=Path)
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    try:
        print(run_refresh(args.job, args.run_dir, overrides=parse_overrides(args.set)))
    except (CrawlInterrupted, KeyboardInterrupt):
        print("interrupted", file=sys.stderr)
        return 130
    except CrawlerError as exc:  # one line; the parent (crawler.spawn) raises it as CrawlFailed
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
