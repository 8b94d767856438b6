"""The refresh spider: fetch each authority's site-level files again, and nothing else.

An opt-out refresh asks every publisher of a dataset what it says *now*. It is a crawl
of site-level files only: for each authority the robots middleware fetches robots.txt
(logged in the robots log, archived in the WARC, unreachable answers recorded) and the
TDMRep well-known file, paced per authority like any crawl and through the address guard.
No page is requested. Each authority then gets one decision row at stage ``refresh``: the
answer robots.txt and TDMRep give for its root URL.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import scrapy

import policies
from crawler.decisions import log_decision
from crawler.errors import JobSpecError
from crawler.jobspec import JobSpec, job_settings, load_job
from crawler.robots import RobotsMiddleware

__all__ = ["REFRESH_STAGE", "RefreshSpider", "read_authorities"]

#: The decision-log stage of a refresh row (docs/decisions.md).
REFRESH_STAGE = "refresh"


def read_authorities(path: Path) -> list[str]:
    """Canonical ``scheme://host[:port]`` of each non-blank, non-comment line, in order."""
    found: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            found.setdefault(policies.authority(text if "://" in text else f"http://{text}"))
    return list(found)


class RefreshSpider(scrapy.Spider):
    """``python -m crawler.refresh JOB RUN_DIR``: the authorities are in ``RUN_DIR/hosts.txt``."""

    name = "refresh"

    def __init__(self, job: str | None = None, run_dir: str | None = None, **kwargs: Any) -> None:
        if not job or not run_dir:
            raise JobSpecError("give a job file and a run folder")
        super().__init__(**kwargs)
        self.job: JobSpec = load_job(Path(job))
        self.run_dir = Path(run_dir)
        self.authorities = read_authorities(self.run_dir / "hosts.txt")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> RefreshSpider:
        spider: RefreshSpider = super().from_crawler(crawler, *args, **kwargs)
        crawler.settings.setmodule("crawler.settings", priority="project")
        crawler.settings.setdict(job_settings(spider.job, spider.run_dir), priority="spider")
        # Site files only: no earlier pages to revisit, no sitemaps to follow.
        crawler.settings.set("RECRAWL_ENABLED", False, priority="spider")
        crawler.settings.set("SITEMAPS_FROM_ROBOTS", False, priority="spider")
        # The page tally would say "fetched: 0" (site files are not pages); the command that
        # started the refresh reports each host's digest before and after instead.
        crawler.settings.set("PROGRESS_INTERVAL", 0, priority="spider")
        return spider

    async def start(self) -> Any:
        robots = _robots_middleware(self.crawler)
        # Concurrent across authorities; within one, the download slot keeps the delay.
        await asyncio.gather(*(self._refresh(robots, key) for key in self.authorities))
        return
        yield  # an async generator that yields no request: the files are all we fetch

    async def _refresh(self, robots: RobotsMiddleware, key: str) -> None:
        entry = await robots.entry_for(key)
        url = f"{key}/"
        verdict = policies.evaluate(
            url,
            crawl_agent=robots.crawl_token,
            training_agent=robots.training_token,
            robots=entry.robots,
            tdmrep=entry.tdmrep,
        )
        log_decision(self.crawler, url, REFRESH_STAGE, verdict, entry)
        self.crawler.stats.inc_value("refresh/authorities")


def _robots_middleware(crawler: Any) -> RobotsMiddleware:
    for middleware in crawler.engine.downloader.middleware.middlewares:
        if isinstance(middleware, RobotsMiddleware):
            return middleware
    raise JobSpecError("the robots middleware is not enabled: a refresh cannot run without it")
