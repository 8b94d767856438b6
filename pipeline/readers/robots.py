"""Site-level files inside an archive: robots.txt and TDMRep captures, as recorded.

Crawlers that archive politely (ours, Common Crawl's) keep the robots.txt
response of every authority they visited, and ours keeps the TDMRep file too.
For the build these are the publisher's own words at crawl time. This module
only lifts the records out, as they are: responses, redirects and revisit
records alike, each with its time, status and body. Resolving a redirect or a
revisit to the capture it stands for needs every archive of the build, so it
happens in :mod:`pipeline.sites`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from policies.authority import authority

__all__ = ["SITE_FILES", "ArchivedSiteFile", "archived_site_files", "warc_date"]

log = logging.getLogger(__name__)

#: Path of each site-level file → its kind.
SITE_FILES = {"/robots.txt": "robots", "/.well-known/tdmrep.json": "tdmrep"}
_MAX_BODY = 512 * 1024  # RFC 9309 §2.5: at least 500 KiB must be parsed


@dataclass(frozen=True, slots=True)
class ArchivedSiteFile:
    """One archived robots.txt or tdmrep.json record (``response`` or ``revisit``)."""

    kind: str
    url: str
    time: datetime | None
    record_type: str
    status: int | None
    body: bytes
    record_id: str
    file: str
    location: str | None = None
    payload_digest: str | None = None
    refers_to: str | None = None
    refers_to_uri: str | None = None
    refers_to_date: datetime | None = None
    problem: str | None = None  # why the body cannot be trusted (cut short, unreadable)

    @property
    def authority(self) -> str:
        return authority(self.url)


def archived_site_files(path: Path) -> Iterator[ArchivedSiteFile]:
    """Every robots.txt and tdmrep.json record of one archive; never raises.

    A file that breaks off is read up to the break and logged: a capture that is not
    there cannot loosen anything, and the ones before it still count.
    """
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream, arc2warc=True):
                found = _site_file(record, str(path))
                if found is not None:
                    yield found
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        log.warning("%s: site-file scan stopped early: %s", path, exc)


def _site_file(record: Any, file: str) -> ArchivedSiteFile | None:
    if record.rec_type not in ("response", "revisit"):
        return None
    headers = record.rec_headers
    url = (headers.get_header("WARC-Target-URI") or "").strip()
    try:
        kind = SITE_FILES.get(urlsplit(url).path)
    except ValueError:
        return None
    if kind is None or not url.startswith(("http://", "https://")):
        return None
    http = record.http_headers
    status, body, problem = _status_and_body(record, http)
    return ArchivedSiteFile(
        kind=kind,
        url=url,
        time=warc_date(headers.get_header("WARC-Date")),
        record_type=record.rec_type,
        status=status,
        body=body,
        record_id=headers.get_header("WARC-Record-ID") or "",
        file=file,
        location=http.get_header("Location") if http is not None else None,
        payload_digest=headers.get_header("WARC-Payload-Digest"),
        refers_to=headers.get_header("WARC-Refers-To"),
        refers_to_uri=headers.get_header("WARC-Refers-To-Target-URI"),
        refers_to_date=warc_date(headers.get_header("WARC-Refers-To-Date")),
        problem=problem,
    )


def _status_and_body(record: Any, http: Any) -> tuple[int | None, bytes, str | None]:
    if http is None:
        return None, b"", "no HTTP response in the record"
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return None, b"", "unreadable HTTP status"
    try:
        body: bytes = record.content_stream().read(_MAX_BODY)
    except Exception as exc:  # a broken gzip/chunked body: no evidence either way
        return status, b"", f"unreadable body: {exc}"
    cut = record.rec_headers.get_header("WARC-Truncated")
    if cut and len(body) < _MAX_BODY:
        # Cut before the part RFC 9309 says must be read: the rules seen may be partial.
        return status, body, f"body cut by the archiver (WARC-Truncated: {cut})"
    return status, body, None


def warc_date(value: str | None) -> datetime | None:
    """A ``WARC-Date`` (or ARC date) as an aware UTC datetime; None when absent or bad."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
