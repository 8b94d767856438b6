"""The seed spider: start from a job's seeds and sitemaps, follow links in scope.

It records; it does not interpret. Pages are archived and decided on by the
middlewares; the spider only finds more URLs, within the job's hosts, depth
and per-host page budget. Every URL it accepts is written to the run state
(:mod:`crawler.state`) before it is requested and marked done once its
callback or errback has finished, so a resumed run picks up exactly where a
killed one stopped. With a shared frontier (``FRONTIER_URL``, :mod:`crawler.cluster`)
the seen-set, the budgets and what is done live in Redis for every worker instead.
A run starts from the URLs the job's earlier runs took (:mod:`crawler.known`, seeded
once per run: :mod:`crawler._known_seeding`), then its sitemaps and seeds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

import policies
from crawler._known_seeding import known_requests
from crawler.digest_set import DigestSet
from crawler.errors import FrontierError, JobSpecError
from crawler.frontier import Frontier, frontier_for
from crawler.jobspec import JobSpec, job_settings, load_job
from crawler.known import Known, KnownPages, open_known
from crawler.politeness import HostPaused
from crawler.recrawl import VALIDATORS, origin
from crawler.run_folders import new_run_dir
from crawler.sitemaps import SitemapFile, read_sitemap
from crawler.state import RunState, open_state
from crawler.urls import host_key, seen_key, shape, trap_reason

__all__ = ["SeedSpider"]


class SeedSpider(scrapy.Spider):
    """Crawl a job: ``scrapy crawl seed -a job=job.toml``."""

    name = "seed"

    def __init__(self, job: str | None = None, run_dir: str | None = None, **kwargs: Any) -> None:
        if not job:
            raise JobSpecError("give a job file: scrapy crawl seed -a job=job.toml")
        super().__init__(**kwargs)
        self.job: JobSpec = load_job(Path(job))
        self.allowed_hosts = tuple(policies.canonical_host(h) for h in self.job.allowed_hosts)
        self.run_dir = Path(run_dir) if run_dir else new_run_dir(self.job)
        self.links = LinkExtractor(deny_extensions=None)
        self.pages_per_host: Counter[str] = Counter()
        # The job's budget; from_crawler reads GLEANER_MAX_PAGES_PER_HOST, which -s can raise.
        self.max_pages_per_host = self.job.max_pages_per_host
        self.seen = DigestSet()
        self.shapes: Counter[str] = Counter()
        self.state: RunState | None = None
        self.known: KnownPages | None = None
        self.frontier: Frontier | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> SeedSpider:
        spider: SeedSpider = super().from_crawler(crawler, *args, **kwargs)
        # Settings are still open here. Load ours whatever the working directory (a run
        # without our robots middleware would not be polite), then the job's on top.
        crawler.settings.setmodule("crawler.settings", priority="project")
        crawler.settings.setdict(job_settings(spider.job, spider.run_dir), priority="spider")
        spider.max_pages_per_host = crawler.settings.getint("GLEANER_MAX_PAGES_PER_HOST")
        spider.frontier = frontier_for(crawler.settings)
        if crawler.settings.getbool("RECRAWL_ENABLED"):
            spider.known = open_known(spider.run_dir, crawler.settings.get("FRONTIER_WORKER"))
        if spider.frontier is not None:
            return spider  # the shared frontier is the run state
        if crawler.settings.getbool("STATE_ENABLED"):
            spider.state = open_state(spider.run_dir)
            crawler.signals.connect(spider._leased, signal=signals.request_reached_downloader)
        return spider

    async def start(self) -> Any:
        for pending in self._resume():
            yield pending
        async for again in self._known_requests():
            yield again
        for url in self.job.sitemaps:
            sitemap = self._follow(url, depth=0, kind="sitemap", scoped=False)
            if sitemap is not None:
                yield sitemap
        for url in self.job.seeds:
            seed = self._follow(url, depth=0)
            if seed is not None:
                yield seed
        if self.frontier is not None:
            self.frontier.mark_seeded()

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        if isinstance(response, TextResponse):
            depth = response.meta.get("depth", 0)
            for link in self.links.extract_links(response):
                request = self._follow(link.url, depth + 1)
                if request is not None:
                    yield request
        self._done(response.request)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        s = self.crawler.settings
        found = read_sitemap(
            response.body,
            max_bytes=s.getint("SITEMAPS_MAX_BYTES"),
            max_urls=s.getint("SITEMAPS_MAX_URLS"),
        )
        self.crawler.stats.inc_value(f"sitemaps/{found.kind}")
        nested = response.meta.get("gleaner_sitemap_depth", 0) + 1
        if found.kind == "sitemapindex" and nested > s.getint("SITEMAPS_MAX_DEPTH"):
            self.crawler.stats.inc_value("sitemaps/too_deep")
            found = SitemapFile(found.kind, ())
        kind = "sitemap" if found.kind == "sitemapindex" else "page"
        for url in found.urls:
            request = self._follow(url, depth=1 if kind == "page" else 0, kind=kind)
            if request is not None:
                request.meta["gleaner_sitemap_depth"] = nested
                yield request
        self._done(response.request)

    def sitemaps_found(self, urls: list[str]) -> None:
        """robots.txt named these sitemaps (``Sitemap:`` lines): read them too."""
        if not self.crawler.settings.getbool("SITEMAPS_FROM_ROBOTS"):
            return
        for url in urls:
            request = self._follow(url, depth=0, kind="sitemap")
            if request is not None and self.crawler.engine is not None:
                self.crawler.engine.crawl(request)

    def failed(self, failure: Failure) -> None:
        """Errback: a request that ended in an error or a refusal is done too."""
        if isinstance(failure.value, HostPaused):
            return  # set aside while its host is paused; it comes back
        self._done(getattr(failure, "request", None))

    def _resume(self) -> Iterator[scrapy.Request]:
        """Requests for what a killed run of this folder had found but not finished."""
        if self.state is None:
            return
        self.seen.update(self.state.seen_keys())
        self.pages_per_host.update(self.state.per_authority())
        self.shapes.update(shape(url) for url in self.state.urls())
        pending = self.state.pending()
        if pending:
            self.logger.warning("resuming %s: %d URLs to go", self.run_dir, len(pending))
        for p in pending:
            yield self._request(p.url, p.depth, p.kind, p.id)

    def _follow(
        self, url: str, depth: int, kind: str = "page", scoped: bool = True
    ) -> scrapy.Request | None:
        parts = urlsplit(url)
        host = policies.canonical_host(parts.hostname or "")  # ``host.`` is ``host``
        if parts.scheme not in ("http", "https") or (scoped and not self._in_scope(host)):
            return None
        if depth > self.job.max_depth:
            return None
        url = url.split("#", 1)[0]
        if self.frontier is not None:  # seen-set and budgets: the frontier's, at admission
            return None if self._malformed(url) else self._request(url, depth, kind, None)
        key = seen_key(url)
        if key in self.seen or self._trapped(url):
            return None
        authority = host_key(url)  # one budget per server, however the URL spells it
        if self.pages_per_host[authority] >= self.max_pages_per_host:
            self.crawler.stats.inc_value("scope/host_budget_exhausted")
            return None
        self.pages_per_host[authority] += 1
        self.seen.add(key)
        url_id = self.state.add(key, url, authority, depth, kind) if self.state else None
        if self.known is not None:
            self.known.add(key, url, depth, kind)
        return self._request(url, depth, kind, url_id)

    def hosts_seen(self) -> int:
        """Hosts the crawl has admitted a URL of: the whole run's with a shared frontier."""
        if self.frontier is None:
            return len(self.pages_per_host)
        try:
            return self.frontier.hosts()
        except FrontierError:  # progress only: the scheduler stops the worker on its next step
            return 0

    def request_for(self, url: str, depth: int, kind: str) -> scrapy.Request:
        """The request for a URL the shared frontier hands this worker."""
        return self._request(url, depth, kind, None)

    def _request(self, url: str, depth: int, kind: str, url_id: int | None) -> scrapy.Request:
        meta: dict[str, Any] = {
            "depth": depth,
            "gleaner_url_id": url_id,
            "gleaner_key": seen_key(url),
        }
        if kind == "sitemap":
            meta["gleaner_sitemap"] = True
            meta["download_maxsize"] = self.crawler.settings.getint("SITEMAPS_MAX_BYTES")
        callback = self.parse_sitemap if kind == "sitemap" else self.parse
        # The seen-set above is the duplicate filter: Scrapy's would forget on resume.
        return scrapy.Request(
            url, callback=callback, errback=self.failed, meta=meta, dont_filter=True
        )

    def _trapped(self, url: str) -> bool:
        """Trap defence: refuse endless URL shapes, and count why."""
        if self._malformed(url):
            return True
        family = shape(url)
        self.shapes[family] += 1
        if self.shapes[family] <= self.crawler.settings.getint("GUARD_MAX_PER_SHAPE"):
            return False
        self.crawler.stats.inc_value("scope/trap/too_many_of_one_shape")
        self.logger.debug("trap (too_many_of_one_shape): %s", url)
        return True

    def _malformed(self, url: str) -> bool:
        """The traps one URL shows by itself (too long, repeating segments ...)."""
        why = trap_reason(url, self.crawler.settings.getint("GUARD_MAX_URL_LENGTH"))
        if why is not None:
            self.crawler.stats.inc_value(f"scope/trap/{why}")
            self.logger.debug("trap (%s): %s", why, url)
        return why is not None

    def _leased(self, request: scrapy.Request, **_: Any) -> None:
        url_id = request.meta.get("gleaner_url_id")
        if self.state is not None and url_id is not None:
            self.state.lease(url_id)

    async def _known_requests(self) -> AsyncIterator[scrapy.Request]:
        """Every URL the job's earlier runs took, with its validators, before the seeds:
        a seed admitted first would go without them."""
        if self.known is None:
            return
        async for again in known_requests(self.run_dir, self.frontier, self._again, self.logger):
            yield again

    def _again(self, known: Known) -> scrapy.Request | None:
        again = self._follow(known.url, known.depth, kind=known.kind, scoped=False)
        if again is not None:
            again.meta[VALIDATORS] = known.validators()
        return again

    def _done(self, request: scrapy.Request | None) -> None:
        meta = request.meta if request is not None else {}
        claimed = meta.get("gleaner_frontier")
        if self.frontier is not None and claimed is not None:
            try:
                self.frontier.done(*claimed)
            except FrontierError as exc:  # the scheduler stops the worker on its next step
                self.logger.warning("%s", exc)
            if self.known is not None and request is not None:  # taken by this worker
                taken = origin(request)
                self.known.add(seen_key(taken.url), taken.url, taken.depth, taken.kind)
        url_id = meta.get("gleaner_url_id")
        if self.state is not None and url_id is not None:
            self.state.done(url_id)

    def _in_scope(self, host: str) -> bool:
        allowed = self.allowed_hosts
        return not allowed or any(host == h or host.endswith("." + h) for h in allowed)
