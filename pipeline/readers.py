"""Read HTML responses out of WARC files, ours or anyone's.

Each ``response`` record with an HTML payload becomes a :class:`Document`
whose ``text`` is the decoded HTML and whose provenance is the WARC file,
record id and byte offset. A broken record or file is counted and skipped,
never raised: the rest of the build goes on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.document import Document
from pipeline.step import Step

__all__ = ["WarcReader", "decode_html", "warc_files"]

log = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def warc_files(path: Path) -> list[Path]:
    """The WARC files at ``path`` (a file, or a folder searched recursively), sorted."""
    if path.is_file():
        return [path]
    found = [p for p in path.rglob("*") if p.name.endswith((".warc", ".warc.gz"))]
    return sorted(found)


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
    """Yield one document per HTML ``response`` record of one WARC file."""

    name = "read_warc"

    def __init__(self, path: Path, *, max_body_bytes: int = 8 * 1024 * 1024) -> None:
        super().__init__()
        self.path = path
        self.max_body_bytes = max_body_bytes

    def __call__(self, docs: Iterator[Document] | None = None) -> Iterator[Document]:
        try:
            with self.path.open("rb") as stream:
                yield from self._records(ArchiveIterator(stream))
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            # A truncated or corrupt file: keep what was read, name the file.
            log.warning("%s: unreadable WARC data skipped: %s", self.path, exc)
            self.stats.add("broken_file")

    def _records(self, records: ArchiveIterator) -> Iterator[Document]:
        for record in records:
            if record.rec_type != "response":
                continue
            self.stats.seen()
            doc = self._document(record, records)
            if doc is None:
                continue
            self.stats.kept()
            yield doc

    def _document(self, record: object, records: ArchiveIterator) -> Document | None:
        rec_headers = record.rec_headers  # type: ignore[attr-defined]
        http = record.http_headers  # type: ignore[attr-defined]
        url = rec_headers.get_header("WARC-Target-URI") or ""
        if not url.startswith(("http://", "https://")):
            self.stats.dropped("bad_record")  # also what junk parsed leniently as ARC looks like
            return None
        content_type = (http.get_header("Content-Type") or "") if http else ""
        if not content_type.lower().startswith(_HTML_TYPES):
            self.stats.dropped("not_html")
            return None
        if http is None or not http.get_statuscode().startswith("2"):
            self.stats.dropped("not_2xx")
            return None
        try:
            body = record.content_stream().read(self.max_body_bytes + 1)  # type: ignore[attr-defined]
        except Exception as exc:  # a broken gzip/chunked body is the record's problem only
            log.warning("%s: unreadable record body of %s: %s", self.path, url, exc)
            self.stats.dropped("broken_record")
            return None
        offset = records.get_record_offset()  # only after the body: it reads to the end
        if len(body) > self.max_body_bytes:
            self.stats.dropped("too_large")
            return None
        return self._make(url, rec_headers, http, body, content_type, offset)

    def _make(
        self, url: str, rec_headers: object, http: object, body: bytes, ctype: str, offset: int
    ) -> Document:
        record_id = rec_headers.get_header("WARC-Record-ID") or ""  # type: ignore[attr-defined]
        fetched = _parse_warc_date(rec_headers.get_header("WARC-Date"))  # type: ignore[attr-defined]
        return Document(
            id=_doc_id(url, record_id),
            text=decode_html(body, ctype),
            source="web",
            url=url,
            host=urlsplit(url).netloc.lower(),
            fetched_at=fetched,
            warc_file=self.path.name,
            warc_record_id=record_id,
            warc_offset=offset,
            metadata={"headers": list(http.headers)},  # type: ignore[attr-defined]
        )


def _doc_id(url: str, record_id: str) -> str:
    return hashlib.sha256(f"web\n{url}\n{record_id}".encode()).hexdigest()[:32]


def _parse_warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
