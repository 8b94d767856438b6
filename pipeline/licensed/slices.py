"""Split a large JSONL corpus file into row slices, so every core reads part of it.

A slice is a stage-1 unit of its own: rows ``first`` to ``stop`` of one file,
found by seeking to byte ``offset``. The split is a pure function of the file
(a slice every ``UNIT_ROWS`` lines), never of the worker count, so units keep
their index across runs and ``--resume`` skips the finished ones; the slices
in order hold the file's rows in order, so the dataset is the one an unsplit
build makes. Lines are counted as text mode counts them (``\\n`` and ``\\r\\n``);
a file with a lone ``\\r``, which text mode also breaks on, is left whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.licensed.manifest import LicensedCorpus

__all__ = ["UNIT_ROWS", "RowSlice", "row_slices"]

UNIT_ROWS = 10_000
_CHUNK = 1 << 22


@dataclass(frozen=True, slots=True)
class RowSlice:
    """Rows ``first`` to ``stop`` of the corpus's file ``file``: bytes ``offset`` to ``end``."""

    file: int
    first: int
    stop: int
    offset: int
    end: int

    def to_json(self) -> list[int]:
        return [self.file, self.first, self.stop, self.offset, self.end]


def row_slices(corpus: LicensedCorpus, every: int | None = None) -> list[RowSlice]:
    """The corpus's slices of ``every`` rows (default ``UNIT_ROWS``) in order; empty when it
    is read whole (one slice's worth, or not all JSONL)."""
    every = every or UNIT_ROWS
    if any(f.format != "jsonl" for f in corpus.files):
        return []
    found: list[RowSlice] = []
    for index, corpus_file in enumerate(corpus.files):
        starts = _line_starts(corpus_file.path, every)
        if starts is None:
            return []
        offsets, lines, size = starts
        firsts = list(range(0, lines, every)) or [0]
        ends = [*offsets[1:], size]
        for first, offset, end in zip(firsts, offsets, ends, strict=True):
            found.append(RowSlice(index, first, min(first + every, lines), offset, end))
    return found if len(found) > 1 else []


def _line_starts(path: Path, every: int) -> tuple[list[int], int, int] | None:
    """Byte offsets of lines 0, every, 2 * every, ...; the line count; the size.
    None if the file holds a lone ``\\r``."""
    offsets, lines, position, last = [0], 0, 0, b""
    carriage = crlf = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            returns = chunk.count(b"\r")  # mostly none: then no two-byte search
            carriage += returns
            crlf += (chunk.count(b"\r\n") if returns else 0) + (
                last == b"\r" and chunk[:1] == b"\n"
            )
            count = chunk.count(b"\n")
            # the ends of lines every, 2 * every, ... (1-based numbers lines + 1, lines + 2, ...)
            first_mark = every - lines % every
            if count >= first_mark:  # only then find where the lines end (most chunks: no)
                ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 0x0A)
                offsets += (ends[first_mark - 1 :: every] + position + 1).tolist()
            lines += count
            position += len(chunk)
            last = chunk[-1:]
    if carriage != crlf:
        return None
    if position and last != b"\n":
        lines += 1
    if offsets[-1] == position and len(offsets) > 1:
        offsets.pop()  # the file ends right after a slice's last line
    return offsets, lines, position
