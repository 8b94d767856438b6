"""Host politeness: Retry-After, exponential back-off and parking, per host.

Scrapy's RetryMiddleware retries a 429 or 503 at once and ignores
``Retry-After``; this middleware replaces it. When a host answers 429 or 5xx
(or times out) the host's download slot is paused: every request of that host,
queued or new, waits until the pause ends, not only the retry. The pause is
``Retry-After`` when the server gave one (seconds or HTTP date, capped by
``POLITENESS_MAX_RETRY_AFTER``), else ``POLITENESS_BACKOFF_BASE * 2^(n-1)`` for
the host's n-th consecutive failure. After ``POLITENESS_PARK_AFTER``
consecutive failures the host is parked: its queued and later requests are
dropped and each gets a decision row (signal ``host_parked``) saying why.

The pause is set from the ``response_downloaded`` signal, which Scrapy sends
before it hands the slot its next request, so no queued request slips through.
For timeouts Scrapy sends no such signal: a request already due may start before
the pause takes hold (at most one per host, with one connection per host).
"""

from __future__ import annotations

import logging
import math
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import DontCloseSpider, IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.misc import load_object

from crawler._backoff import HostState, backoff_seconds, retry_after_seconds
from crawler._scrapy_slots import hold_until, withdraw_queued
from crawler.decisions import log_decision
from crawler.errors import SettingError
from crawler.robots import authority_key
from record.outcomes import HOST_PARKED, outcome_verdict

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["HostPaused", "HostPolitenessMiddleware", "host_paused"]

log = logging.getLogger(__name__)


#: Signal sent with ``host`` and ``until`` (monotonic; ``inf`` when parked) whenever a
#: host is paused or parked, so that progress can show who waits without asking Scrapy.
host_paused = object()


class HostPaused(IgnoreRequest):
    """A request set aside while its host is paused; it comes back by itself (not done)."""


_FAILING = frozenset({429, 500, 502, 503, 504, 522, 524, 408})


class HostPolitenessMiddleware:
    """Downloader middleware: pause, back off from and park failing hosts."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        self.crawler = crawler
        self.base = _positive(s, "POLITENESS_BACKOFF_BASE")
        self.backoff_cap = _positive(s, "POLITENESS_BACKOFF_MAX")
        self.retry_after_cap = _positive(s, "POLITENESS_MAX_RETRY_AFTER")
        self.park_after = s.getint("POLITENESS_PARK_AFTER")
        if self.park_after < 1:
            raise SettingError("POLITENESS_PARK_AFTER", self.park_after, "must be >= 1")
        delay = s.getfloat("DOWNLOAD_DELAY")
        if delay < 1.0 and not s.getbool("POLITENESS_BENCHMARK_NO_FLOOR"):
            raise SettingError("DOWNLOAD_DELAY", delay, "must be >= 1 second per host")
        # Scrapy's RETRY_* settings, as its RetryMiddleware (which this replaces) reads them.
        self.retry_enabled = s.getbool("RETRY_ENABLED")
        self.max_retries = s.getint("RETRY_TIMES")
        self.retry_exceptions = tuple(load_object(x) for x in s.getlist("RETRY_EXCEPTIONS"))
        self.hosts: dict[str, HostState] = {}
        self.held = 0  # requests set aside until their host's pause ends

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostPolitenessMiddleware:
        if not crawler.settings.getbool("POLITENESS_ENABLED"):
            raise NotConfigured
        mw = cls(crawler)
        crawler.signals.connect(mw.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(mw.spider_idle, signal=signals.spider_idle)
        return mw

    def process_request(self, request: Request) -> None:
        state = self.hosts.get(_slot_key(request))
        if state is None or request.meta.get("gleaner_wellknown"):
            return None
        if state.parked:
            self._refuse(request, state)
        wait = state.paused_until - time.monotonic()
        if wait > 0:
            self._hold(request, wait)
        return None

    def spider_idle(self) -> None:
        if self.held:  # requests wait for a paused host: the crawl is not over
            raise DontCloseSpider

    def _hold(self, request: Request, wait: float) -> None:
        raise self._set_aside(request, wait)

    def _set_aside(self, request: Request, wait: float) -> HostPaused:
        """Keep a paused host's request out of the downloader, where it would take a
        connection slot from every other host, and schedule it again when the pause ends."""
        self.held += 1
        self.crawler.stats.inc_value("politeness/held")
        call_later(wait, self._release, request.replace(dont_filter=True))
        return HostPaused(f"{_slot_key(request)} paused for {wait:.1f} s more")

    def _release(self, request: Request) -> None:
        self.held -= 1
        if self.crawler.engine is not None:
            self.crawler.engine.crawl(request)

    def response_downloaded(self, response: Response, request: Request, **_: Any) -> None:
        if request.meta.get("gleaner_wellknown"):
            return  # robots.txt outcomes have their own rules (RFC 9309)
        request.meta["gleaner_health_seen"] = True
        state = self.hosts.setdefault(_slot_key(request), HostState())
        if response.status not in _FAILING:
            state.succeed()
            return
        header = response.headers.get(b"Retry-After")
        given = header.decode("latin-1") if header else None
        self._fail(request, state, f"HTTP {response.status}", given)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if not request.meta.pop("gleaner_health_seen", False):
            self.response_downloaded(response, request)  # a body cut short sends no signal
            request.meta.pop("gleaner_health_seen", None)
        if response.status not in _FAILING or request.meta.get("dont_retry"):
            return response
        return self._retry(request, f"http/{response.status}") or response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if not isinstance(exception, self.retry_exceptions) or request.meta.get("dont_retry"):
            return None
        state = self.hosts.setdefault(_slot_key(request), HostState())
        self._fail(request, state, type(exception).__name__, None)
        return self._retry(request, exception)

    def _fail(self, request: Request, state: HostState, what: str, retry_after: str | None) -> None:
        failures = state.fail(what)
        stats = self.crawler.stats
        stats.inc_value("politeness/failures")
        if failures >= self.park_after and not state.parked:
            self._park(request, state)
            return
        wait = retry_after_seconds(retry_after, datetime.now(UTC), self.retry_after_cap)
        if wait is not None:
            stats.inc_value("politeness/retry_after")
        else:
            wait = backoff_seconds(failures, self.base, self.backoff_cap)
            stats.inc_value("politeness/backoff")
        self._pause(_slot_key(request), state, wait)
        log.info("%s: %s, host paused %.1f s", _slot_key(request), what, wait)

    def _pause(self, key: str, state: HostState, seconds: float) -> None:
        state.paused_until = max(state.paused_until, time.monotonic() + seconds)
        hold_until(self.crawler, key, state.paused_until)
        self.crawler.signals.send_catch_log(host_paused, host=key, until=state.paused_until)
        # The queued ones step aside until then.
        withdraw_queued(self.crawler, key, lambda queued: self._set_aside(queued, seconds))

    def _park(self, request: Request, state: HostState) -> None:
        state.parked = True
        self.crawler.stats.inc_value("politeness/parked_hosts")
        self.crawler.signals.send_catch_log(host_paused, host=_slot_key(request), until=math.inf)
        log.warning("%s parked after %d consecutive failures", _slot_key(request), state.failures)
        self._log_parked(request, state)  # the row that says why the host stops here
        withdraw_queued(
            self.crawler, _slot_key(request), lambda queued: self._parked(queued, state)
        )

    def _refuse(self, request: Request, state: HostState) -> None:
        raise self._parked(request, state)

    def _parked(self, request: Request, state: HostState) -> IgnoreRequest:
        self.crawler.stats.inc_value("politeness/parked_requests")
        return IgnoreRequest(f"host parked: {self._log_parked(request, state)}")

    def _log_parked(self, request: Request, state: HostState) -> str:
        rule = f"{state.failures} consecutive failures (POLITENESS_PARK_AFTER)"
        evidence = f"last: {state.last_failure}"
        verdict = outcome_verdict(HOST_PARKED, rule, evidence, fetched=False)
        entry = request.meta.get("gleaner_robots")
        log_decision(self.crawler, request.url, "robots", verdict, entry)
        return f"{rule}, {evidence}"

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        if not self.retry_enabled or self.hosts.get(_slot_key(request), HostState()).parked:
            return None
        spider = self.crawler.spider
        if spider is None:
            return None
        return get_retry_request(
            request, spider=spider, reason=reason, max_retry_times=self.max_retries
        )


def _slot_key(request: Request) -> str:
    return authority_key(request)  # the robots middleware's slot key, set after us


def _positive(settings: Any, name: str) -> float:
    value = settings.getfloat(name)
    if value <= 0:
        raise SettingError(name, value, "must be > 0")
    return float(value)
