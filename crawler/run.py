"""Run one crawl job in this process (``gleaner crawl``, ``python -m crawler``)."""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.jobspec import load_job
from crawler.runs import new_run_dir
from crawler.spiders.seed import SeedSpider

__all__ = ["main", "run_crawl"]


def run_crawl(job_file: Path, *, log_level: str = "WARNING") -> Path:
    """Crawl ``job_file`` to completion; return the run folder.

    Twisted's reactor runs once per process, so call this once per process
    (the demo and the tests start a subprocess per crawl).
    """
    job = load_job(job_file)
    run_dir = new_run_dir(job)
    # Our settings module, not whatever scrapy.cfg the working directory happens to find.
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SeedSpider)
    process.crawl(crawler, job=str(job_file), run_dir=str(run_dir))
    process.start()
    return run_dir


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m crawler JOB.toml", file=sys.stderr)
        return 2
    print(run_crawl(Path(args[0])))
    return 0
