"""Limits on what a page may be: its content type, and its size once decompressed.

The job says which types it wants (``[limits] content_types``, e.g.
``["text/html"]``; ``text/*`` matches a family). A page answering 2xx with
any other ``Content-Type`` is stopped as soon as its headers arrive, before
the body is read, and gets a ``page`` row in the decision log (outcome
``content_type``) with the type it announced. robots.txt, TDMRep files and
sitemaps are exempt: their types are theirs. A response without a
``Content-Type`` is let through (Scrapy sniffs the body). Non-2xx answers are
judged by their status, not their type: they go on, without their body.

Decompression stays Scrapy's (the read cap, ``SIGNALS_MAX_BYTES`` for pages, caps the
inflated body too); a page it stops gets a ``page`` row too (``decompression_limit``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.http import Headers, Request, Response

from crawler.decisions import log_decision
from crawler.errors import SettingError
from record.outcomes import CONTENT_TYPE, DECOMPRESSION_LIMIT, outcome_verdict

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["ContentTypeMiddleware", "DecompressionGuardMiddleware", "type_allowed"]

_EXEMPT = ("gleaner_wellknown", "gleaner_sitemap")


def type_allowed(content_type: str, allowed: tuple[str, ...]) -> bool:
    """``text/html; charset=utf-8`` against ``("text/html",)``; ``text/*`` is a family."""
    mime = content_type.split(";", 1)[0].strip().lower()
    family = mime.split("/", 1)[0] + "/*"
    return not mime or mime in allowed or family in allowed


class ContentTypeMiddleware:
    """Downloader middleware: abort and log pages whose type the job did not ask for."""

    def __init__(self, crawler: Crawler, allowed: tuple[str, ...]) -> None:
        self.crawler = crawler
        self.allowed = allowed

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContentTypeMiddleware:
        types = crawler.settings.getlist("GUARD_CONTENT_TYPES")
        if not types:
            raise NotConfigured  # no allow-list: every type is kept
        for value in types:
            if "/" not in value:
                raise SettingError("GUARD_CONTENT_TYPES", value, "must look like type/subtype")
        mw = cls(crawler, tuple(t.strip().lower() for t in types))
        crawler.signals.connect(mw.headers_received, signal=signals.headers_received)
        return mw

    def headers_received(self, headers: Headers, request: Request, **_: Any) -> None:
        if any(request.meta.get(key) for key in _EXEMPT):
            return
        content_type = (headers.get(b"Content-Type") or b"").decode("latin-1")
        if not type_allowed(content_type, self.allowed):
            request.meta["gleaner_refused_type"] = content_type
            raise StopDownload(fail=True)

    def process_exception(self, request: Request, exception: Exception) -> Response | None:
        refused = request.meta.pop("gleaner_refused_type", None)
        if refused is None or not isinstance(exception, StopDownload):
            return None
        response = exception.response
        if response is not None and not 200 <= response.status < 300:
            # Errors and redirects carry whatever type: only pages are judged. The signal
            # cannot see the status, so the headers-only answer goes on as the response.
            return response
        self._log(request, refused, response.status if response is not None else None)
        raise IgnoreRequest(f"content type {refused!r} not in GUARD_CONTENT_TYPES")

    def _log(self, request: Request, content_type: str, status: int | None) -> None:
        rule = "[limits] content_types (GUARD_CONTENT_TYPES)"
        _log_limit(
            self.crawler, request, status, CONTENT_TYPE, rule, f"Content-Type: {content_type}"
        )
        self.crawler.stats.inc_value("guard/content_type/refused")


class DecompressionGuardMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, whose cap on the inflated body (the request's read cap, see
    :class:`crawler.warc.WarcCaptureMiddleware`) stops a gzip bomb; a page stopped that way
    gets a decision row (``decompression_limit``)."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DecompressionGuardMiddleware:
        mw: DecompressionGuardMiddleware = super().from_crawler(crawler)
        mw.crawler = crawler
        return mw

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:
            rule = "the read cap (SIGNALS_MAX_BYTES for pages), applied to the decompressed body"
            _log_limit(self.crawler, request, response.status, DECOMPRESSION_LIMIT, rule, str(exc))
            self.crawler.stats.inc_value("guard/decompression_bomb")
            raise


def _log_limit(
    crawler: Crawler, request: Request, status: int | None, outcome: str, rule: str, evidence: str
) -> None:
    """A ``page`` row for a page a limit stopped: fetched, never read, indexed or trained on."""
    verdict = outcome_verdict(outcome, rule, evidence, fetched=True)
    log_decision(crawler, request.url, "page", verdict, request.meta.get("gleaner_robots"), status)
