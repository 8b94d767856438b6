"""The Scrapy side of a shared frontier: a scheduler that takes its turns from Redis.

With ``FRONTIER_URL`` set, :class:`FrontierScheduler` replaces Scrapy's scheduler. A request
the spider finds is admitted to the frontier (seen-set and trap budgets, cluster-wide) and
not kept here; the engine's next request is claimed from Redis only when its host's turn
has come, for any worker. So the pace of a host is set once for the cluster: at most
``CONCURRENT_REQUESTS_PER_DOMAIN`` of its requests in flight, and the next one no sooner
than its delay after the answer to the last began (:mod:`crawler.pacing`'s rule), or after a
Retry-After or back-off pause (:mod:`crawler.politeness`) any worker was given. A request
that leaves the downloader without an answer (a timeout, a reset) counts the delay from
then, since the server may have had it.

A host's turn is claimed a little ahead (:data:`crawler.frontier.CLAIM_AHEAD`) and the
request waits in its download slot until the turn, so the time to claim and build it is not
added to every gap.

A worker holds the hosts it serves under a lease it renews every third of
``FRONTIER_LEASE``; when it dies, the lease runs out and its requests in flight go back
to the frontier for another worker.
"""

from __future__ import annotations

import logging
import math
import time
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import call_later, create_looping_call
from scrapy.utils.defer import deferred_from_coro

from crawler._scrapy_slots import hold_request, wake_engine
from crawler.errors import FrontierError
from crawler.frontier import Claim, Frontier, frontier_for
from crawler.politeness import host_paused
from crawler.robots import authority_key
from crawler.urls import seen_key

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Request
    from scrapy.utils.asyncio import CallLaterResult

__all__ = ["LOST", "FrontierScheduler", "request_item"]

log = logging.getLogger(__name__)
_T = TypeVar("_T")

#: The stats key that holds why a worker stopped when its frontier stopped answering.
LOST = "frontier/lost"

_IDLE_POLL = 0.5  # seconds between asks while other workers may still find work
_ANSWERED = "gleaner_answered"  # request meta: its answer began (its pace is counted)


#: Request meta that travels with a request through the frontier: the counts that bound
#: retries and redirect chains (a redirect loop must end on any worker), sitemap nesting,
#: and a known page's validators (its conditional GET, on whichever worker fetches it).
_KEPT_META = (
    "gleaner_sitemap_depth",
    "gleaner_validators",
    "redirect_reasons",
    "redirect_times",
    "redirect_ttl",
    "redirect_urls",
    "retry_times",
)


def request_item(request: Request) -> dict[str, Any]:
    """What the frontier keeps of a request: enough for any worker to make it again."""
    meta = request.meta
    return {
        "url": request.url,
        "depth": meta.get("depth", 0),
        "kind": "sitemap" if meta.get("gleaner_sitemap") else "page",
        "meta": {key: meta[key] for key in _KEPT_META if key in meta},
    }


class FrontierScheduler:
    """Scrapy scheduler over the shared frontier (see the module docstring)."""

    def __init__(self, crawler: Crawler, frontier: Frontier) -> None:
        self.crawler, self.frontier = crawler, frontier
        s = crawler.settings
        self.limits = (s.getint("GUARD_MAX_PER_SHAPE"), s.getint("GLEANER_MAX_PAGES_PER_HOST"))
        self.spider: Spider | None = None
        self._heartbeat = create_looping_call(self._renew)
        self._wake: CallLaterResult | None = None
        self._wake_at = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        frontier = frontier_for(crawler.settings)
        if frontier is None:
            raise NotConfigured("FRONTIER_URL is not set")
        scheduler = cls(crawler, frontier)
        crawler.signals.connect(scheduler.headers_received, signal=signals.headers_received)
        crawler.signals.connect(scheduler.left_downloader, signal=signals.request_left_downloader)
        crawler.signals.connect(scheduler.host_paused, signal=host_paused)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self._heartbeat.start(self.frontier.lease / 3, now=True)

    def close(self, reason: str) -> None:
        if self._heartbeat.running:
            self._heartbeat.stop()
        if reason == "finished":
            self.frontier.mark_finished()

    def has_pending_requests(self) -> bool:
        try:
            return self.frontier.busy()
        except FrontierError as exc:
            return self._lost(exc, True)  # never "finished": nobody knows what is left

    def enqueue_request(self, request: Request) -> bool:
        try:
            return self._enqueue(request)
        except FrontierError as exc:
            return self._lost(exc, False)

    def _enqueue(self, request: Request) -> bool:
        host, item, stats = authority_key(request), request_item(request), self.crawler.stats
        claimed = request.meta.get("gleaner_frontier")
        if claimed is not None:  # a retry, a redirect, a request set aside: same URL's turn
            self.frontier.give_back(claimed[0], claimed[1], host, item)
            stats.inc_value("frontier/given_back")
            return True
        verdict = self.frontier.admit(seen_key(request.url), host, item, self.limits)
        stats.inc_value(_ADMIT_STATS[verdict])
        return verdict == "queued"

    def next_request(self) -> Request | None:
        try:
            got = self.frontier.claim()
        except FrontierError as exc:
            return self._lost(exc, None)
        if isinstance(got, Claim):
            self.crawler.stats.inc_value("frontier/claimed")
            return self._request(got)
        self._wake_in(got if got >= 0 else _IDLE_POLL)
        return None

    def _lost(self, exc: FrontierError, answer: _T) -> _T:
        """Redis stopped answering: stop this worker, unfinished (``--resume`` continues)."""
        stats = self.crawler.stats
        if not stats.get_value(LOST):
            stats.set_value(LOST, str(exc))
            log.error("%s; stopping this worker", exc)
            engine = self.crawler.engine
            if engine is not None:
                deferred_from_coro(engine.close_spider_async(reason="frontier_lost"))
        return answer

    def headers_received(self, request: Request, **_: Any) -> None:
        # The server has the request: the host's next turn counts from now (any worker's).
        request.meta[_ANSWERED] = True
        self._pace(authority_key(request), None)

    def left_downloader(self, request: Request, **_: Any) -> None:
        # No answer began (timeout, reset, refused): the server may still have had the
        # request, so the next turn counts from now, before anyone can claim it.
        if not request.meta.get(_ANSWERED):
            self._pace(authority_key(request), None)

    def host_paused(self, host: str, until: float, **_: Any) -> None:
        if math.isfinite(until):  # parking stays this worker's (its queue is refused here)
            self._pace(host, max(0.0, until - time.monotonic()))

    def _pace(self, host: str, seconds: float | None) -> None:
        try:
            self.frontier.pace(host, seconds)
        except FrontierError as exc:
            self._lost(exc, None)

    def _renew(self) -> None:
        try:
            self.frontier.renew()
        except FrontierError as exc:
            self._lost(exc, None)

    def _request(self, claim: Claim) -> Request:
        item = claim.item
        make = self.spider.request_for  # type: ignore[union-attr]
        request: Request = make(item["url"], item["depth"], item["kind"])
        request.meta.update(item.get("meta") or {})
        request.meta["gleaner_frontier"] = (claim.host, claim.id)
        if claim.wait > 0:  # claimed ahead: the slot holds it (and robots.txt) to the turn
            self.crawler.stats.inc_value("frontier/claimed_ahead")
            deadline = time.monotonic() + claim.wait
            hold_request(self.crawler, request, authority_key(request), deadline)
        return request

    def _wake_in(self, seconds: float) -> None:
        """Ask the engine again when a host may be ready (soon at most: others add work)."""
        seconds = min(max(seconds, 0.01), _IDLE_POLL)
        due = time.monotonic() + seconds
        if self._wake is not None and self._wake_at <= due:
            return  # an earlier ask is on its way
        if self._wake is not None:
            self._wake.cancel()
        self._wake, self._wake_at = call_later(seconds, self._woken), due

    def _woken(self) -> None:
        self._wake = None
        wake_engine(self.crawler)


_ADMIT_STATS = {
    "queued": "frontier/queued",
    "seen": "frontier/seen",
    "trap": "scope/trap/too_many_of_one_shape",
    "budget": "scope/host_budget_exhausted",
}
