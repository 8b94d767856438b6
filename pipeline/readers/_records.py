"""The records of one archive, read past breaks: a broken archive loses only its broken records.

warcio parses each record; this module frames them. A record is given out only once
the stream has moved past it cleanly, so a record whose ``Content-Length`` is wrong
(warcio then finds no blank line after it) is given out as broken, never with the next
record's bytes as its body. After any break (a corrupt record, a wrong length, a gzip
member cut short, garbage between records) the file is searched from just past the
last good record start for the next record header: a ``WARC/1.0`` or ``WARC/1.1``
line followed by a header field (at the start of a line, or right after a record cut
mid-line), or in a gzipped file the next gzip member whose data starts with one.
Reading goes on there (counted ``resynced``, logged once with file and offset); when
there is none, the rest of the file is counted ``broken_file``.

warcio reports some problems by printing to stderr; those lines are caught, logged
with file and offset and counted (``warcio_warning/<kind>``) instead.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import zlib
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

from pipeline.stats import StepStats

__all__ = ["Capture", "RecordStream", "read_record_at"]

log = logging.getLogger(__name__)

# A version line followed by a header field: where a record cut short ends mid-line, the
# next record's header need not start a line.
_WARC_HEADER = re.compile(rb"WARC/1\.[01]\r?\n[A-Za-z][A-Za-z0-9-]*:")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_SCAN_BLOCK = 1 << 20
_NO_END = "the record does not end where its Content-Length says"
# What warcio prints when a record is broken; anything else it prints is only logged.
_WARNINGS = {"Content-Length is invalid": "length_mismatch", "decompressing": "decompression"}


@dataclass(frozen=True, slots=True)
class Capture:
    """One record, its start offset and, when wanted, its raw (still encoded) payload."""

    record: Any  # warcio's record: read its headers only, the stream has moved on
    offset: int
    body: bytes | None = None
    error: str | None = None  # why the record cannot be trusted; body is None then


class RecordStream:
    """Iterate over the :class:`Capture` s of one archive; never raises for bad data.

    ``want(record)`` says whose payload to read (up to ``max_bytes`` + 1 bytes);
    ``resync`` is off for ARC files, which have no header line to search for.
    """

    def __init__(
        self,
        path: Path,
        want: Callable[[Any], bool],
        *,
        max_bytes: int,
        stats: StepStats | None = None,
        resync: bool = True,
    ) -> None:
        self.path = path
        self.want = want
        self.max_bytes = max_bytes
        self.stats = stats or StepStats("records")
        self.resync = resync
        self._gzipped = False

    def __iter__(self) -> Iterator[Capture]:
        try:
            with self.path.open("rb") as stream:
                self._gzipped = stream.read(2) == b"\x1f\x8b"
                start: int | None = 0
                while start is not None:
                    start = yield from self._run(stream, start)
        except OSError as exc:
            log.warning("%s: unreadable archive: %s", self.path, exc)
            self.stats.add("broken_file")

    def _run(self, stream: IO[bytes], start: int) -> Generator[Capture, None, int | None]:
        """Read records from ``start`` until the end or a break; return where to go on."""
        stream.seek(start)
        records = ArchiveIterator(stream, arc2warc=True)
        pending: Capture | None = None
        last = start
        while True:
            record, failure, heard = self._next(records, last)
            if heard and pending is not None:
                yield replace(pending, body=None, error=_NO_END)
                pending = None
            if pending is not None:
                yield pending
            if heard:  # about the record before: it may have swallowed the ones after it
                return self._resync(stream, last + 1, _NO_END)
            if failure:  # about what follows the record before: it was whole
                return self._resync(stream, max(records.offset, last) + 1, failure)
            if record is None:
                return None
            last = records.offset
            pending = self._capture(record, last)
            if pending.error:
                yield pending
                return self._resync(stream, last + 1, pending.error)

    def _next(self, records: ArchiveIterator, at: int) -> tuple[Any, str, str]:
        """The next record (None at the end), the failure, and what warcio printed."""
        record, failure = None, ""
        with self._listening(at) as heard:
            try:
                record = next(records, None)
            except Exception as exc:  # any parse error of warcio's is the data's fault
                failure = f"{type(exc).__name__}: {exc}"[:200]
        return record, failure, _break(heard.getvalue())

    def _capture(self, record: Any, offset: int) -> Capture:
        if not self.want(record):
            return Capture(record, offset)
        with self._listening(offset) as heard:
            try:
                body: bytes = record.raw_stream.read(self.max_bytes + 1)
            except Exception as exc:  # a corrupt gzip member: this record only
                return Capture(record, offset, None, f"unreadable record: {exc}")
        if _break(heard.getvalue()):  # logged as it was heard
            return Capture(record, offset, None, "unreadable record (see warcio's warning)")
        return Capture(record, offset, body)

    @contextlib.contextmanager
    def _listening(self, offset: int) -> Iterator[io.StringIO]:
        """Catch what warcio prints to stderr; log and count it (it is about ``offset``)."""
        heard = io.StringIO()
        try:
            with contextlib.redirect_stderr(heard):
                yield heard
        finally:
            text = heard.getvalue().strip()
            if text:
                self.stats.add(f"warcio_warning/{_break(text) or 'other'}")
                log.warning("%s@%d: warcio: %s", self.path, offset, " ".join(text.split()))

    def _resync(self, stream: IO[bytes], start: int, why: str) -> int | None:
        found = next_record_start(stream, start, gzipped=self._gzipped) if self.resync else None
        if found is None:
            log.warning("%s@%d: unreadable archive data skipped: %s", self.path, start, why)
            self.stats.add("broken_file")
            return None
        log.warning("%s@%d: broken archive data, read on at %d: %s", self.path, start, found, why)
        self.stats.add("resynced")
        return found


def _break(text: str) -> str:
    """The kind of break warcio reported in ``text``, or "" when it reported none."""
    return next((kind for mark, kind in _WARNINGS.items() if mark in text), "")


def next_record_start(stream: IO[bytes], start: int, *, gzipped: bool) -> int | None:
    """Offset of the first record header at or after ``start``, or None."""
    find = _next_gzip_member if gzipped else _next_warc_line
    return find(stream, start)


def _next_warc_line(stream: IO[bytes], start: int) -> int | None:
    pos = start
    while True:
        stream.seek(pos)
        block = stream.read(_SCAN_BLOCK)
        found = _WARC_HEADER.search(block)
        if found is not None:
            return pos + found.start()
        if len(block) < _SCAN_BLOCK:
            return None
        pos += len(block) - 64  # overlap: a header split across two blocks


def _next_gzip_member(stream: IO[bytes], start: int) -> int | None:
    pos = start
    while True:
        stream.seek(pos)
        block = stream.read(_SCAN_BLOCK)
        at = block.find(_GZIP_MAGIC)
        while at != -1:
            if _member_starts_warc(stream, pos + at):
                return pos + at
            at = block.find(_GZIP_MAGIC, at + 1)
        if len(block) < _SCAN_BLOCK:
            return None
        pos += len(block) - 2


def _member_starts_warc(stream: IO[bytes], offset: int) -> bool:
    stream.seek(offset)
    try:
        head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(stream.read(4096), 64)
    except zlib.error:
        return False
    return _WARC_HEADER.match(head) is not None


def read_record_at(path: Path, offset: int, max_bytes: int) -> Capture | None:
    """The one record that starts at ``offset`` of ``path``, payload read; None if broken."""
    with path.open("rb") as stream:
        stream.seek(offset)
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                record = next(ArchiveIterator(stream, arc2warc=True), None)
                if record is None:
                    return None
                body: bytes = record.raw_stream.read(max_bytes + 1)
            except Exception:  # it was read cleanly once; a change since is no match
                return None
    return Capture(record, offset, body)
