"""Fetching robots.txt and the TDMRep well-known file for one authority."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy.http import Response

import policies

if TYPE_CHECKING:
    from crawler.robots import RobotsEntry, RobotsMiddleware

__all__ = ["fetch_robots", "fetch_tdmrep", "ttl_from"]

log = logging.getLogger(__name__)

_TDMREP_PATH = "/.well-known/tdmrep.json"
_MAX_AGE = re.compile(r"max-age\s*=\s*(\d+)", re.IGNORECASE)


def ttl_from(response: Response | None, default: float) -> float:
    """min(Cache-Control max-age, default): RFC 9309 says at most 24 h."""
    if response is None:
        return default
    value = (response.headers.get(b"Cache-Control") or b"").decode("latin-1")
    match = _MAX_AGE.search(value)
    return min(float(match.group(1)), default) if match else default


async def _download(mw: RobotsMiddleware, url: str) -> Response:
    response: Response = await mw.crawler.engine.download_async(mw.robots_request(url))
    return response


async def fetch_robots(mw: RobotsMiddleware, key: str) -> tuple[policies.RobotsTxt, dict[str, Any]]:
    """Fetch ``key/robots.txt``, following up to the configured redirects by hand."""
    url, chain = f"{key}/robots.txt", list[str]()
    started = datetime.now(UTC)
    for _hop in range(mw.max_redirects + 1):
        try:
            response = await _download(mw, url)
        except Exception as exc:  # timeouts, refused connections, DNS: unreachable
            log.info("robots.txt of %s unreachable: %r", key, exc)
            robots = policies.RobotsTxt.unreachable()
            row = _row(key, started, None, chain, robots, error=f"{type(exc).__name__}: {exc}")
            return robots, {"time": started, "ttl": mw.ttl, "row": row}
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location:
            chain.append(url)
            url = urljoin(url, location.decode("latin-1"))
            continue
        robots = policies.RobotsTxt.parse(response.body, status=response.status)
        row = _row(key, started, response, chain, robots)
        ttl = ttl_from(response, mw.ttl)
        record = {"time": started, "ttl": ttl, "row": row, "body": response.body}
        return robots, record | {"status": response.status}
    # RFC 9309 §2.3.1.2: past five redirects the file counts as unavailable (4xx).
    robots = policies.RobotsTxt.parse(b"", status=404)
    row = _row(key, started, None, chain, robots, error="too many redirects")
    return robots, {"time": started, "ttl": mw.ttl, "row": row, "status": 404, "body": b""}


def _row(
    key: str,
    when: datetime,
    response: Response | None,
    chain: list[str],
    robots: policies.RobotsTxt,
    error: str | None = None,
) -> dict[str, Any]:
    meta = response.meta if response is not None else {}
    body = response.body if response is not None else b""
    return {
        "authority": key,
        "time": when,
        "status": response.status if response is not None else None,
        "redirects": chain,
        "sha256": hashlib.sha256(body).hexdigest() if response else None,
        "size": len(body) if response is not None else None,
        "outcome": robots.outcome,
        "error": error,
        "warc_file": meta.get("warc_file"),
        "warc_record_id": meta.get("warc_record_id"),
    }


async def fetch_tdmrep(
    mw: RobotsMiddleware, key: str, entry: RobotsEntry
) -> tuple[int, bytes] | None:
    """The authority's TDMRep answer (status, body), if robots.txt lets us fetch it; None
    when we could not read one."""
    url = key + _TDMREP_PATH
    if not entry.robots.can_fetch(url, mw.crawl_token):
        return None
    try:
        response = await _download(mw, url)
    except Exception as exc:  # no file we can read means no TDMRep statement
        log.info("tdmrep.json of %s unreachable: %r", key, exc)
        return None
    mw.crawler.stats.inc_value(f"tdmrep/status/{response.status}")
    return response.status, response.body
