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

from crawler.errors import CrawlerError, CrawlInterrupted
from crawler.process import parse_overrides, run_spider
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
    ran = run_spider(RefreshSpider, job_file, run_dir, log_level=log_level, overrides=overrides)
    if ran.refused is not None:
        raise CrawlerError(f"{job_file}: refresh did not run: {ran.refused}")
    process = ran.process
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
