"""robots.txt captures inside an archive, so consent can be re-judged with them.

Crawlers that archive politely (ours, Common Crawl's) keep the robots.txt
response of every authority they visited. For a third-party archive these are
the best evidence of what the publisher said at crawl time; the consent gate
applies :mod:`policies` with them. The last capture of an authority wins.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

__all__ = ["RobotsCapture", "authority", "robots_captures"]

log = logging.getLogger(__name__)

_MAX_ROBOTS = 512 * 1024  # RFC 9309 §2.5: at least 500 KiB must be parsed


@dataclass(frozen=True, slots=True)
class RobotsCapture:
    """One archived robots.txt response."""

    status: int
    body: bytes
    record_id: str


def authority(url: str) -> str:
    """``scheme://host[:port]``, lower-cased: the scope of one robots.txt."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def robots_captures(path: Path) -> dict[str, RobotsCapture]:
    """Every robots.txt response in the archive, keyed by authority; never raises."""
    found: dict[str, RobotsCapture] = {}
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                capture = _capture(record)
                if capture:
                    found[capture[0]] = capture[1]
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        log.warning("%s: robots.txt scan stopped early: %s", path, exc)
    return found


def _capture(record: object) -> tuple[str, RobotsCapture] | None:
    if record.rec_type != "response" or record.http_headers is None:  # type: ignore[attr-defined]
        return None
    url = record.rec_headers.get_header("WARC-Target-URI") or ""  # type: ignore[attr-defined]
    if urlsplit(url).path != "/robots.txt":
        return None
    try:
        status = int(record.http_headers.get_statuscode())  # type: ignore[attr-defined]
        body = record.content_stream().read(_MAX_ROBOTS)  # type: ignore[attr-defined]
    except Exception:  # a broken capture is no evidence
        return None
    record_id = record.rec_headers.get_header("WARC-Record-ID") or ""  # type: ignore[attr-defined]
    return authority(url), RobotsCapture(status, body, record_id)
