"""Read web captures out of WARC, ARC and WET files, ours or anyone's.

Each ``response`` record with an HTML payload becomes a :class:`Document`
whose ``text`` is the decoded HTML (chunked and content-encoded bodies, ``br`` and
``zstd`` included, are decoded by :mod:`pipeline.readers._body`); each WET
``conversion`` record becomes a document whose text is already extracted
(``metadata["extracted"]``). Provenance is the file (``name``: the build passes the
archive's path relative to its inputs, so two ``example.arc.gz`` in different folders
stay apart), record id and byte offset. A document's id is the same in every build:
from URL and WARC-Record-ID, or for ARC records, which have no id (warcio invents a
random one per read), from the file's sha256 and the record's offset.

A ``revisit`` record whose original capture is in the build (by ``WARC-Refers-To``,
or payload digest plus URL; in another archive too, as a recrawl's are: the build
passes ``originals``, see :mod:`pipeline.readers._revisits`) becomes a document of its
own: the original's page under the revisit's URL, time and record id, with the headers
of both captures, marked ``metadata["revisit_of"]``; the consent gate judges it as any
other capture, and dedup then drops it as an exact duplicate of the original. A revisit
whose original is not there is counted (``revisit_unresolved``). Broken records (named
by file and offset) are counted, and reading goes on at the next record header
(:mod:`pipeline.readers._records`, ``resynced``); records marked ``WARC-Truncated`` are
kept, counted under ``truncated`` and marked (``metadata["truncated_at"]``: the bytes
kept) so that the consent gate can tell.

warcio stays the parser, by measurement (FastWARC 2.0, 2,130 HTML responses of our own
crawl, 6,210 records, best of three on a shared machine): FastWARC reads 14,000
responses/s from .warc.gz and 72,000/s from plain .warc against warcio's 2,400/s and
3,200/s, but this reader makes ~1,900 documents/s (0.5 ms each) while extracting one
page costs 20 ms or more, so reading is a few per cent of a build either way. FastWARC
does not get past a break: after a wrong Content-Length, a gzip member cut short or
garbage between records it stops with OSError (and a record too long or too short is
given out with the wrong bytes first), where warcio plus the framing here reads every
record after the break.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.document import Document
from pipeline.readers._body import BodyError, decode_body
from pipeline.readers._records import Capture, RecordStream, read_record_at
from pipeline.readers._revisits import Originals, html_response, is_original_of
from pipeline.readers.robots import warc_date
from pipeline.shards import file_sha256
from pipeline.step import Step

__all__ = ["WarcReader", "decode_html"]

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_COUNTED = frozenset({"response", "conversion", "revisit"})


def _wanted(record: Any) -> bool:
    """Whose payload the reader reads: WET text and HTML 2xx responses."""
    return record.rec_type == "conversion" or html_response(record)


def decode_html(body: bytes, content_type: str) -> str:
    """Decode with the declared charset when it is known, else UTF-8; never raises."""
    charset = "utf-8"
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"' ")
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


class WarcReader(Step):
    """Yield one document per HTML response, WET text record or resolved revisit of one archive."""

    name = "read_warc"

    def __init__(
        self,
        path: Path,
        *,
        name: str | None = None,
        max_body_bytes: int = 8 * 1024 * 1024,
        originals: Mapping[int, tuple[Path, int]] | None = None,
    ) -> None:
        """``originals``: where the build found the original of each revisit (by offset)."""
        super().__init__()
        self.path = path
        self.name_in_dataset = name or path.name
        self.max_body_bytes = max_body_bytes
        self._sha256: str | None = None
        self._arc: bool | None = None
        self._originals = Originals()
        self._elsewhere = originals or {}

    def __call__(self, docs: Iterator[Document] | None = None) -> Iterator[Document]:
        stream = RecordStream(
            self.path,
            _wanted,
            max_bytes=self.max_body_bytes,
            stats=self.stats,
            resync=not self._is_arc(),
        )
        for capture in stream:
            if capture.record.rec_type not in _COUNTED:
                continue
            self.stats.seen()
            doc = self._document(capture)
            if doc is not None:
                self.stats.kept()
                yield doc

    def _document(self, capture: Capture) -> Document | None:
        record, offset = capture.record, capture.offset
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        if not url.startswith(("http://", "https://")):
            # also what junk parsed leniently as ARC looks like
            self.stats.dropped("bad_record")
            return None
        if capture.error:
            log.warning("%s@%d: unreadable record %s: %s", self.path, offset, url, capture.error)
            self.stats.dropped("broken_record")
            return None
        if record.rec_type == "revisit":
            return self._revisit(record, url, offset)
        if record.rec_type == "conversion":
            body = self._body(capture, url)
            return None if body is None else self._make(record, url, body, "text/plain", offset)
        http = record.http_headers
        content_type = (http.get_header("Content-Type") or "") if http else ""
        if not content_type.lower().startswith(_HTML_TYPES):
            self.stats.dropped("not_html")
            return None
        if http is None or not http.get_statuscode().startswith("2"):
            self.stats.dropped("not_2xx")
            return None
        body = self._body(capture, url)
        if body is None:
            return None
        self._originals.add(record, url, offset)
        return self._make(record, url, body, content_type, offset)

    def _body(self, capture: Capture, url: str) -> bytes | None:
        body = self._decoded(capture, url)
        if isinstance(body, str):
            self.stats.dropped(body)
            return None
        return body

    def _decoded(self, capture: Capture, url: str) -> bytes | str:
        """The decoded payload, or the reason it cannot be had."""
        raw = capture.body or b""
        http = capture.record.http_headers
        if len(raw) > self.max_body_bytes:
            return "too_large"
        try:
            body = decode_body(
                raw,
                (http.get_header("Transfer-Encoding") or "") if http else "",
                (http.get_header("Content-Encoding") or "") if http else "",
                self.max_body_bytes + 1,
                cut=bool(capture.record.rec_headers.get_header("WARC-Truncated")),
            )
        except BodyError as exc:
            log.warning("%s@%d: undecodable body of %s: %s", self.path, capture.offset, url, exc)
            return "undecodable_body"
        return "too_large" if len(body) > self.max_body_bytes else body

    def _revisit(self, record: Any, url: str, offset: int) -> Document | None:
        """The original's page under the revisit's own URL, time and headers, or a drop."""
        original = self._original(record, url, offset)
        body = self._decoded(original, url) if original else "revisit_unresolved"
        if original is None or isinstance(body, str):
            self.stats.dropped("revisit_unresolved")
            return None
        http = original.record.http_headers
        doc = self._make(record, url, body, http.get_header("Content-Type") or "", offset)
        # Header signals of both captures count: a refusal in either is heard.
        doc.metadata["headers"] = list(http.headers) + doc.metadata["headers"]
        first = original.record.rec_headers
        doc.metadata["revisit_of"] = _doc_id(
            first.get_header("WARC-Target-URI") or "", first.get_header("WARC-Record-ID") or ""
        )
        self.stats.add("revisit_resolved")
        return doc

    def _original(self, revisit: Any, url: str, offset: int) -> Capture | None:
        """The original capture of ``revisit``, read and checked; None when not found."""
        where = self._elsewhere.get(offset)
        if where is None:
            local = self._originals.find(revisit, url)
            where = None if local is None else (self.path, local)
        if where is None:
            return None
        original = read_record_at(where[0], where[1], self.max_body_bytes)
        if original is None or not html_response(original.record):
            return None
        return original if is_original_of(original.record, revisit, url) else None

    def _make(self, record: Any, url: str, body: bytes, ctype: str, offset: int) -> Document:
        rec_headers = record.rec_headers
        # An ARC record has no id: warcio's stand-in is random, neither an id nor provenance.
        record_id = None if self._is_arc() else rec_headers.get_header("WARC-Record-ID")
        http = record.http_headers
        doc = Document(
            id=_doc_id(url, record_id or f"{self._file_sha256()}@{offset}"),
            text=decode_html(body, ctype),
            source="web",
            url=url,
            host=urlsplit(url).netloc.lower(),
            fetched_at=warc_date(rec_headers.get_header("WARC-Date")),
            warc_file=self.name_in_dataset,
            warc_record_id=record_id,
            warc_offset=offset,
            metadata={"headers": list(http.headers) if http else []},
        )
        if record.rec_type == "conversion":
            doc.metadata["extracted"] = True
        if rec_headers.get_header("WARC-Truncated"):
            # Cut at the crawler's size cap (ours and Common Crawl's): kept, as FineWeb does,
            # but counted and marked so the cut can be found.
            doc.metadata["truncated"] = rec_headers.get_header("WARC-Truncated")
            # Bytes kept: a third-party page's signals past them were never read.
            doc.metadata["truncated_at"] = len(body)
            self.stats.add("truncated")
        return doc

    def _is_arc(self) -> bool:
        if self._arc is None:
            self._arc = _starts_like_arc(self.path)
        return self._arc

    def _file_sha256(self) -> str:
        if self._sha256 is None:
            self._sha256 = file_sha256(self.path)
        return self._sha256


def _starts_like_arc(path: Path) -> bool:
    """ARC files open with a ``filedesc://`` record (warcio's converted records look like WARC)."""
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
        opener = gzip.open if gzipped else open
        with opener(path, "rb") as stream:
            return bytes(stream.read(11)) == b"filedesc://"
    except (OSError, EOFError):
        return False


def _doc_id(url: str, record_id: str) -> str:
    return hashlib.sha256(f"web\n{url}\n{record_id}".encode()).hexdigest()[:32]
