"""Finishing WARC files left open by a killed crawl."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from crawler._warc_recover import complete_prefix, finish_open_files, next_sequence

# mtime=0: the same bytes, and the same test ids, in every process (parallel workers compare).
A, B = gzip.compress(b"record one", mtime=0), gzip.compress(b"record two", mtime=0)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", 0),
        (A, len(A)),
        (A + B, len(A) + len(B)),
        (A + B[:-3], len(A)),  # the kill cut the second record
        (A + b"garbage", len(A)),
    ],
    ids=["empty", "one", "two", "cut", "garbage"],
)
def test_complete_prefix(data: bytes, expected: int) -> None:
    assert complete_prefix(data) == expected


def test_open_files_are_cut_and_renamed(tmp_path: Path) -> None:
    (tmp_path / "run-00000.warc.gz").write_bytes(A)
    (tmp_path / "run-00001.warc.gz.open").write_bytes(A + B[:5])
    assert finish_open_files(tmp_path) == [tmp_path / "run-00001.warc.gz"]
    assert (tmp_path / "run-00001.warc.gz").read_bytes() == A
    assert next_sequence(tmp_path) == 2
