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

from pipeline.readers._body import BodyError, decode_body
from pipeline.readers._records import Capture, RecordStream
from pipeline.readers._revisits import BuildOriginals
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


def archived_site_files(
    path: Path, originals: BuildOriginals | None = None
) -> Iterator[ArchivedSiteFile]:
    """Every robots.txt and tdmrep.json record of one archive; never raises.

    A broken stretch of the file is skipped up to the next record header and logged
    (as the page reader does): a capture that is not there cannot loosen anything,
    and the ones around it still count. ``originals``, when given, notes every record
    on the way (the build's revisit index: one pass over each archive serves both).
    """
    for capture in RecordStream(path, _wanted, max_bytes=_MAX_BODY):
        if originals is not None and capture.error is None:
            originals.note(path, capture.record, capture.offset)
        found = _site_file(capture, str(path))
        if found is not None:
            yield found


def _kind(record: Any) -> str | None:
    """``robots`` or ``tdmrep`` for a response or revisit of a site-level file, else None."""
    if record.rec_type not in ("response", "revisit"):
        return None
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    if not url.startswith(("http://", "https://")):
        return None
    try:
        return SITE_FILES.get(urlsplit(url).path)
    except ValueError:
        return None


def _wanted(record: Any) -> bool:
    return _kind(record) is not None


def _site_file(capture: Capture, file: str) -> ArchivedSiteFile | None:
    record = capture.record
    kind = _kind(record)
    if kind is None:
        return None
    headers = record.rec_headers
    url = (headers.get_header("WARC-Target-URI") or "").strip()
    http = record.http_headers
    status, body, problem = _status_and_body(capture, http)
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


def _status_and_body(capture: Capture, http: Any) -> tuple[int | None, bytes, str | None]:
    record = capture.record
    if http is None:
        return None, b"", "no HTTP response in the record"
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return None, b"", "unreadable HTTP status"
    if capture.error:
        return status, b"", f"unreadable body: {capture.error}"
    try:
        body = decode_body(
            capture.body or b"",
            http.get_header("Transfer-Encoding") or "",
            http.get_header("Content-Encoding") or "",
            _MAX_BODY,
            cut=bool(record.rec_headers.get_header("WARC-Truncated")),
        )
    except BodyError as exc:  # a broken gzip/chunked body: no evidence either way
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
