"""Recrawls: conditional GETs for what earlier runs of a job captured.

A run of a job starts from every URL its earlier runs took (:mod:`crawler.known`: one
file per process, merged when the run starts), on one machine or on a shared frontier,
where the URLs are seeded once for the whole cluster and carry their validators in the
frontier. robots.txt and the opt-out signals are judged afresh by each run, so a URL
disallowed since is refused. Requests for a known page carry ``If-None-Match`` /
``If-Modified-Since``; a ``304`` is archived as a WARC ``revisit`` record (profile
server-not-modified) that refers to the earlier capture, and a fresh ``200`` is written
to this process's file of the job's known URLs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

from crawler.known import Known, KnownPages, base_path, look_up, open_known
from crawler.urls import seen_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["VALIDATORS", "ConditionalGetMiddleware", "origin"]

#: Request meta: a known URL's validators and WARC record (:meth:`Known.validators`).
VALIDATORS = "gleaner_validators"


def origin(request: Request) -> Known:
    """The URL a request was made for (before any redirect), its depth and kind."""
    meta = request.meta
    url = (meta.get("redirect_urls") or [request.url])[0]
    kind = "sitemap" if meta.get("gleaner_sitemap") else "page"
    return Known(url, meta.get("depth", 0), kind)


class ConditionalGetMiddleware:
    """Downloader middleware: conditional GETs for known pages; remember fresh captures."""

    def __init__(self, known: KnownPages, base: Path) -> None:
        self.known, self.base = known, base

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        run_dir = crawler.settings.get("GLEANER_RUN_DIR")
        if not crawler.settings.getbool("RECRAWL_ENABLED") or not run_dir:
            raise NotConfigured
        known = open_known(Path(run_dir), crawler.settings.get("FRONTIER_WORKER"))
        return cls(known, base_path(Path(run_dir)))

    def process_request(self, request: Request) -> None:
        known = _known(request) or self._looked_up(request)
        if known is None or known.record_id is None:
            return None
        request.meta["gleaner_known"] = known  # the revisit record and the gate read it
        if known.etag:
            request.headers[b"If-None-Match"] = known.etag
        if known.last_modified:
            request.headers[b"If-Modified-Since"] = known.last_modified
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        record_id = request.meta.get("warc_record_id")
        if response.status == 200 and record_id and request.meta.get("gleaner_key"):
            etag, modified = (
                (response.headers.get(name) or b"").decode("latin-1") or None
                for name in (b"ETag", b"Last-Modified")
            )
            taken = origin(request)
            date = request.meta.get("warc_date")
            capture = replace(taken, etag=etag, last_modified=modified, record_id=record_id)
            self.known.captured(seen_key(taken.url), replace(capture, record_date=date))
        return response

    def _looked_up(self, request: Request) -> Known | None:
        """A known URL that came without its validators: a link to it was queued before
        the known URLs were (a large set takes a while), so it was seen already."""
        if not request.meta.get("gleaner_key"):
            return None  # robots.txt, TDMRep: fetched afresh by each run
        return look_up(self.base, seen_key(origin(request).url))


def _known(request: Request) -> Known | None:
    validators: dict[str, Any] | None = request.meta.get(VALIDATORS)
    if not validators:
        return None
    taken = origin(request)
    return Known(taken.url, taken.depth, taken.kind, **validators)
