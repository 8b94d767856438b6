"""Finishing the WARC files a killed crawl left open.

Each record is its own gzip member, so an ``.open`` file is readable up to
its last complete member; whatever follows (a record cut by the kill) is cut
off, and the file gets its final name so the pipeline reads it like any other.
"""

from __future__ import annotations

import logging
import os
import re
import zlib
from pathlib import Path

__all__ = ["complete_prefix", "finish_open_files", "next_sequence"]

log = logging.getLogger(__name__)

_SEQUENCE = re.compile(r"-(\d{5})\.warc\.gz(?:\.open)?$")


def complete_prefix(data: bytes) -> int:
    """Length of the longest run of complete gzip members at the start of ``data``."""
    offset = 0
    while offset < len(data):
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            member.decompress(data[offset:])
        except zlib.error:
            break
        if not member.eof:
            break
        offset = len(data) - len(member.unused_data)
    return offset


def finish_open_files(folder: Path, prefix: str | None = None) -> list[Path]:
    """Cut every ``*.warc.gz.open`` (of ``prefix`` only, when given: another worker's
    file may be open for writing) to its complete records and drop the suffix."""
    finished = []
    for path in sorted(p for p in folder.glob("*.warc.gz.open") if _ours(p.name, prefix)):
        data = path.read_bytes()
        keep = complete_prefix(data)
        with path.open("r+b") as stream:
            stream.truncate(keep)
        final = path.with_suffix("")  # drops ".open"
        os.replace(path, final)
        log.warning("finished %s from a stopped crawl: %d of %d bytes kept", final, keep, len(data))
        finished.append(final)
    return finished


def next_sequence(folder: Path, prefix: str | None = None) -> int:
    """The first file number after those already in ``folder`` (of ``prefix``, if given)."""
    numbers = [
        int(m.group(1))
        for p in folder.iterdir()
        if (m := _SEQUENCE.search(p.name)) and _ours(p.name, prefix)
    ]
    return max(numbers, default=-1) + 1


def _ours(name: str, prefix: str | None) -> bool:
    match = _SEQUENCE.search(name)
    return prefix is None or (match is not None and name[: match.start()] == prefix)
