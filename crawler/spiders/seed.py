"""The seed spider: start from a job's seeds and sitemaps, follow links in scope.

It records; it does not interpret. Pages are archived and decided on by the
middlewares; the spider only finds more URLs, within the job's hosts, depth
and per-host page budget.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap

from crawler.jobspec import JobSpec, load_job
from crawler.runs import job_settings, new_run_dir
from crawler.urls import seen_key, shape, trap_reason

__all__ = ["SeedSpider"]


class SeedSpider(scrapy.Spider):
    """Crawl a job: ``scrapy crawl seed -a job=job.toml``."""

    name = "seed"

    def __init__(self, job: str | None = None, run_dir: str | None = None, **kwargs: Any) -> None:
        if not job:
            raise ValueError("give a job file: scrapy crawl seed -a job=job.toml")
        super().__init__(**kwargs)
        self.job: JobSpec = load_job(Path(job))
        self.run_dir = Path(run_dir) if run_dir else new_run_dir(self.job)
        self.links = LinkExtractor(deny_extensions=None)
        self.pages_per_host: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.shapes: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SeedSpider:
        spider: SeedSpider = super().from_crawler(crawler, *args, **kwargs)
        # Settings are still open here. Load ours whatever the working directory (a run
        # without our robots middleware would not be polite), then the job's on top.
        crawler.settings.setmodule("crawler.settings", priority="project")
        crawler.settings.setdict(job_settings(spider.job, spider.run_dir), priority="spider")
        return spider

    async def start(self) -> Any:
        for url in self.job.sitemaps:
            yield scrapy.Request(
                url, callback=self.parse_sitemap, dont_filter=True, meta={"gleaner_sitemap": True}
            )
        for url in self.job.seeds:
            request = self._follow(url, depth=0)
            if request is not None:
                yield request

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            return
        depth = response.meta.get("depth", 0)
        for link in self.links.extract_links(response):
            request = self._follow(link.url, depth + 1)
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        try:
            sitemap = Sitemap(response.body)
        except Exception:  # a broken sitemap is skipped, not fatal
            self.logger.warning("unreadable sitemap %s", response.url)
            return
        for entry in sitemap:
            loc = entry.get("loc", "")
            callback = self.parse_sitemap if sitemap.type == "sitemapindex" else self.parse
            request = self._follow(loc, depth=1, callback=callback)
            if request is not None:
                yield request

    def _follow(self, url: str, depth: int, callback: Any = None) -> scrapy.Request | None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not self._in_scope(host):
            return None
        if depth > self.job.max_depth:
            return None
        url = url.split("#", 1)[0]
        key = seen_key(url)
        if key in self.seen or self._trapped(url):
            return None
        authority = parts.netloc.lower()
        if self.pages_per_host[authority] >= self.job.max_pages_per_host:
            self.crawler.stats.inc_value("scope/host_budget_exhausted")
            return None
        self.pages_per_host[authority] += 1
        self.seen.add(key)
        meta: dict[str, Any] = {"depth": depth}
        if callback == self.parse_sitemap:
            meta["gleaner_sitemap"] = True
        return scrapy.Request(url, callback=callback or self.parse, meta=meta)

    def _trapped(self, url: str) -> bool:
        """Trap defence: refuse endless URL shapes, and count why."""
        settings = self.crawler.settings
        why = trap_reason(url, settings.getint("GUARD_MAX_URL_LENGTH"))
        if why is None:
            family = shape(url)
            self.shapes[family] += 1
            if self.shapes[family] > settings.getint("GUARD_MAX_PER_SHAPE"):
                why = "too_many_of_one_shape"
        if why is not None:
            self.crawler.stats.inc_value(f"scope/trap/{why}")
            self.logger.debug("trap (%s): %s", why, url)
        return why is not None

    def _in_scope(self, host: str) -> bool:
        allowed = self.job.allowed_hosts
        return not allowed or any(host == h or host.endswith("." + h) for h in allowed)
