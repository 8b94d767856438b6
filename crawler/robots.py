"""RFC 9309 robots.txt for the crawler; it replaces Scrapy's middleware.

Before the first request to a scheme + authority, robots.txt is fetched (and
archived in the WARC), its outcome decided by :mod:`policies` from the status
and body: 2xx parse, 4xx allow all, 401/403, 429, 5xx and network errors deny
all. Up to five redirects are followed by hand so that the chain is logged;
rules then apply to the original authority. Entries expire after 24 h, or
sooner when Cache-Control says so. Every request is decided against the
entry, and the decision is written to the decision log whether it allows or
denies; a denied request never reaches the downloader. With a shared frontier,
one worker fetches and logs each file and the others read its bytes
(:mod:`crawler._robots_shared`): the same decisions, one fetch per host per TTL.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK

import policies
from crawler._fetch import fetch_robots, fetch_tdmrep
from crawler._robots_shared import SharedRobots, Stored, parse_robots, parse_tdmrep
from crawler._scrapy_slots import raise_delay
from crawler.decisions import log_decision
from crawler.errors import SettingError
from crawler.frontier import frontier_for
from crawler.logs import crawl_logs
from policies.backends import RobotsBackend, RobotsParser, get_backend
from policies.errors import BackendError
from record.outcomes import CRAWL_DELAY, outcome_verdict, with_fetch_answer

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["RobotsEntry", "RobotsMiddleware", "authority_key"]

log = logging.getLogger(__name__)

_PRIORITY = 1000  # robots.txt jumps the queue: nothing else of the host goes first
_SHARED_POLL = 0.1  # seconds between looks while another worker fetches a host's file


def authority_key(request: Request) -> str:
    """The canonical ``scheme://host[:port]`` of the request (:func:`policies.authority`).

    One robots.txt, one download slot and one robots-log ``authority`` per server, however
    a URL spells it: ``http://Host.:80/`` and ``http://host/`` are one.
    """
    return policies.authority(request.url)


@dataclass
class RobotsEntry:
    """What we know of one authority's robots.txt (and TDMRep file)."""

    robots: policies.RobotsTxt
    fetched_at: datetime
    expires: float
    tdmrep: policies.TdmRepFile | None = None
    crawl_delay: float | None = None
    legacy: RobotsParser | None = None  # a legacy backend's reading, when one is selected


class RobotsMiddleware:
    """Downloader middleware: fetch, cache and obey robots.txt per authority."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            # No switch turns consent off: refuse to run rather than crawl impolitely.
            raise SettingError(
                "ROBOTSTXT_OBEY", False, "must be True: Gleaner always obeys robots.txt"
            )
        self.crawler = crawler
        self.crawl_token = settings.get("GLEANER_CRAWL_TOKEN")
        self.training_token = settings.get("GLEANER_TRAINING_TOKEN")
        self.ttl = settings.getfloat("ROBOTS_CACHE_TTL")
        self.max_bytes = settings.getint("ROBOTS_MAX_BYTES")
        self.max_redirects = settings.getint("ROBOTS_MAX_REDIRECTS")
        self.max_crawl_delay = settings.getfloat("ROBOTS_MAX_CRAWL_DELAY")
        self.min_delay = max(1.0, settings.getfloat("DOWNLOAD_DELAY"))
        self.backend = _backend(settings.get("ROBOTS_BACKEND"))
        self.entries: dict[str, RobotsEntry] = {}
        self._pending: dict[str, asyncio.Future[RobotsEntry]] = {}
        self.frontier = frontier_for(settings)
        self.shared = None
        if self.frontier is not None:
            # Long enough for the whole fetch: robots.txt, its redirects and TDMRep.
            lock = settings.getfloat("DOWNLOAD_TIMEOUT") * (self.max_redirects + 3)
            self.shared = SharedRobots(self.frontier.client, self.frontier.prefix, lock)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsMiddleware:
        if not crawler.settings.get("GLEANER_CRAWL_TOKEN"):
            raise NotConfigured("GLEANER_CRAWL_TOKEN is not set")
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        key = authority_key(request)
        request.meta["download_slot"] = key  # politeness per authority, redirects included
        if request.meta.get("gleaner_wellknown"):
            return None
        entry = await self.entry_for(key)
        self._apply_delay(key, entry, request)
        self._decide(request, entry)
        return None

    def _decide(self, request: Request, entry: RobotsEntry) -> None:
        verdict = policies.evaluate(
            request.url,
            crawl_agent=self.crawl_token,
            training_agent=self.training_token,
            robots=entry.robots,
        )
        if entry.legacy is not None:
            verdict = _legacy_fetch(verdict, entry.legacy, request.url, self.crawl_token)
        delay = entry.crawl_delay or 0.0
        if verdict.may_fetch and delay > self.max_crawl_delay:
            verdict = _crawl_delay_refusal(verdict, delay, self.max_crawl_delay)
        row = log_decision(self.crawler, request.url, "robots", verdict, entry)
        request.meta["gleaner_robots"] = entry
        if not verdict.may_fetch:
            self.crawler.stats.inc_value("policy/robots/denied")
            why = row["outcome"] or row["deciding_signal"]
            raise IgnoreRequest(f"Forbidden by robots.txt ({why})")
        self.crawler.stats.inc_value("policy/robots/allowed")

    async def entry_for(self, key: str) -> RobotsEntry:
        """The cached entry for an authority, fetching robots.txt once when needed."""
        entry = self.entries.get(key)
        if entry is not None and entry.expires > time.time():
            return entry
        pending = self._pending.get(key)
        if pending is not None:
            return await pending
        future: asyncio.Future[RobotsEntry] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            entry = await self._fetch_entry(key)
        except BaseException as exc:
            # Requests waiting on this authority fail with it instead of waiting forever.
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning without waiters
            raise
        finally:
            del self._pending[key]
        self.entries[key] = entry
        future.set_result(entry)
        return entry

    async def _fetch_entry(self, key: str) -> RobotsEntry:
        if self.shared is None:
            return (await self._fetch_fresh(key))[0]
        # Bounded: the lock expires within lock_seconds, so one of these looks takes it.
        for _look in range(int(2 * self.shared.lock_seconds / _SHARED_POLL) + 2):
            stored = self.shared.get(key)
            if stored is not None:
                self.crawler.stats.inc_value("robotstxt/shared")
                return self._entry_from(key, stored)
            if self.shared.lock(key):
                try:
                    entry, stored = await self._fetch_fresh(key)
                    self.shared.put(key, stored)
                finally:
                    self.shared.unlock(key)
                return entry
            await asyncio.sleep(_SHARED_POLL)
        # Never reached while Redis answers; if it is, no answer means no permission.
        stored = {"status": None, "body": b"", "fetched_at": datetime.now(UTC), "tdmrep": None}
        return self._entry_from(key, stored | {"expires": time.time() + 60})

    def _entry_from(self, key: str, stored: Stored) -> RobotsEntry:
        """The entry another worker fetched, parsed here from the same bytes."""
        robots = parse_robots(stored["status"], stored["body"])
        entry = RobotsEntry(
            robots=robots,
            fetched_at=stored["fetched_at"],
            expires=stored["expires"],
            tdmrep=parse_tdmrep(stored["tdmrep"]),
            crawl_delay=robots.crawl_delay(self.crawl_token),
        )
        if self.backend.legacy and robots.outcome == "parsed":
            entry.legacy = self.backend.parse(stored["body"])
        self._apply_delay(key, entry, None)
        return entry

    async def _fetch_fresh(self, key: str) -> tuple[RobotsEntry, Stored]:
        robots, record = await fetch_robots(self, key)
        entry = RobotsEntry(
            robots=robots,
            fetched_at=record["time"],
            expires=time.time() + record["ttl"],
            crawl_delay=robots.crawl_delay(self.crawl_token),
        )
        if self.backend.legacy and robots.outcome == "parsed":
            entry.legacy = self.backend.parse(record["body"])
        crawl_logs(self.crawler).robots.append(record["row"])
        self._apply_delay(key, entry, None)  # before the TDMRep fetch, which is paced too
        self.crawler.stats.inc_value(f"robotstxt/outcome/{robots.outcome}")
        tdmrep = await fetch_tdmrep(self, key, entry)
        entry.tdmrep = parse_tdmrep(tdmrep)
        found = getattr(self.crawler.spider, "sitemaps_found", None)
        if robots.sitemaps and found is not None:
            found(list(robots.sitemaps))
        stored = {"status": record.get("status"), "body": record.get("body", b"")}
        return entry, stored | {
            "fetched_at": entry.fetched_at,
            "expires": entry.expires,
            "tdmrep": tdmrep,
        }

    def _apply_delay(self, key: str, entry: RobotsEntry, request: Request | None) -> None:
        if entry.crawl_delay is None:
            return
        if request is not None:
            # AutoThrottle may only raise a Crawl-delay host's pace, never lower it.
            request.meta["autothrottle_dont_adjust_delay"] = True
        wanted = max(self.min_delay, min(entry.crawl_delay, self.max_crawl_delay))
        raise_delay(self.crawler, key, wanted)
        if request is None and self.frontier is not None:
            self.frontier.set_delay(key, wanted)  # every worker's pace for the host

    def robots_request(self, url: str) -> Request:
        return Request(
            url,
            priority=_PRIORITY,
            callback=NO_CALLBACK,
            dont_filter=True,
            meta={
                "gleaner_wellknown": True,
                "dont_redirect": True,
                "handle_httpstatus_all": True,
                "download_maxsize": self.max_bytes,
                "dont_retry": True,
                "allow_offsite": True,
            },
        )


def _backend(name: str | None) -> RobotsBackend:
    try:
        backend = get_backend(name or "gleaner")
    except BackendError as exc:
        raise SettingError("ROBOTS_BACKEND", name, f"is not usable: {exc}") from exc
    if backend.legacy:
        log.warning(
            "ROBOTS_BACKEND %r is legacy: it misreads RFC 9309 cases "
            "(see `make conformance`); status handling and training stay ours",
            name,
        )
    return backend


def _legacy_fetch(
    verdict: policies.Verdict, parser: RobotsParser, url: str, agent: str
) -> policies.Verdict:
    """The fetch answer of a legacy backend, for 2xx files only; everything else stays ours."""
    allowed = parser.can_fetch(url, agent)
    if allowed == verdict.may_fetch:
        return verdict
    return with_fetch_answer(verdict, allowed, "legacy backend", f"{type(parser).__module__}")


def _crawl_delay_refusal(verdict: policies.Verdict, delay: float, cap: float) -> policies.Verdict:
    """Our cap, not the publisher's refusal: an outcome, with robots.txt's answers kept."""
    rule, evidence = f"Crawl-delay: {delay:g}", f"above our cap of {cap:g} s; host skipped"
    return outcome_verdict(CRAWL_DELAY, rule, evidence, fetched=False, publisher=verdict)
