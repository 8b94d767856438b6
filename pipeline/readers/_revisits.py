"""Where the original capture of a ``revisit`` record is, within the archive being read.

A revisit names its original by ``WARC-Refers-To`` (the original's record id; our
crawler writes it, as do Heritrix and wget) or only by ``WARC-Payload-Digest`` plus
the URL (``WARC-Refers-To-Target-URI`` when given, else its own). Only the HTML
responses the reader made documents of are remembered: an offset and an id each.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Originals"]


class Originals:
    """The reader's documents so far, by record id and by (payload digest, URL)."""

    def __init__(self) -> None:
        self._by_id: dict[str, tuple[int, str]] = {}
        self._by_digest: dict[tuple[str, str], tuple[int, str]] = {}

    def add(self, record: Any, url: str, offset: int, doc_id: str) -> None:
        headers = record.rec_headers
        record_id = headers.get_header("WARC-Record-ID")
        if record_id:
            self._by_id[record_id.strip()] = (offset, doc_id)
        digest = headers.get_header("WARC-Payload-Digest")
        if digest:
            self._by_digest[(digest.strip(), url)] = (offset, doc_id)

    def find(self, revisit: Any, url: str) -> tuple[int, str] | None:
        """(offset, document id) of the original of ``revisit``, or None."""
        headers = revisit.rec_headers
        refers_to = (headers.get_header("WARC-Refers-To") or "").strip()
        if refers_to in self._by_id:
            return self._by_id[refers_to]
        digest = (headers.get_header("WARC-Payload-Digest") or "").strip()
        target = (headers.get_header("WARC-Refers-To-Target-URI") or url).strip()
        return self._by_digest.get((digest, target)) if digest else None
