"""Broken archives: every record after a break is read, at its true offset."""

from __future__ import annotations

import gzip
import logging
import re
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.readers import WarcReader, archived_site_files
from pipeline.readers._records import _break
from tests.pipeline.conftest import ARTICLE

PAGES = [f"http://news.example/{name}" for name in ("a", "b", "c")]


def _record(url: str, *, gzipped: bool) -> bytes:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    payload = BytesIO(ARTICLE.replace("harbour", url).encode())
    writer.write_record(
        writer.create_warc_record(url, "response", payload=payload, http_headers=http)
    )
    return buffer.getvalue()


def _relength(record: bytes, delta: int, *, gzipped: bool) -> bytes:
    """The record with its Content-Length off by ``delta``."""
    plain = gzip.decompress(record) if gzipped else record

    def shift(match: re.Match[bytes]) -> bytes:
        return b"Content-Length: %d" % (int(match.group(1)) + delta)

    plain = re.sub(rb"Content-Length: (\d+)", shift, plain, count=1)
    return gzip.compress(plain) if gzipped else plain


def _breakages(gzipped: bool) -> dict[str, tuple[bytes, bytes]]:
    """Name -> (what replaces record b, what goes between a and it)."""
    b = _record(PAGES[1], gzipped=gzipped)
    return {
        "length_too_long": (_relength(b, 300, gzipped=gzipped), b""),
        "length_too_short": (_relength(b, -300, gzipped=gzipped), b""),
        "record_cut_short": (b[: len(b) // 2], b""),
        "garbage_between": (b, b"\x00\xffnot a record\r\nat all\r\n" * 20),
    }


def _archive(tmp_path: Path, breakage: str, gzipped: bool) -> tuple[Path, list[int]]:
    """a, broken b, c; and the true offsets of the three record headers."""
    a, c = (_record(url, gzipped=gzipped) for url in (PAGES[0], PAGES[2]))
    b, junk = _breakages(gzipped)[breakage]
    offsets = [0, len(a) + len(junk), len(a) + len(junk) + len(b)]
    path = tmp_path / ("broken.warc.gz" if gzipped else "broken.warc")
    path.write_bytes(a + junk + b + c)
    return path, offsets


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("breakage", list(_breakages(False)))
def test_records_after_a_break_are_read_at_their_true_offsets(
    tmp_path: Path, breakage: str, gzipped: bool, caplog: pytest.LogCaptureFixture
) -> None:
    path, offsets = _archive(tmp_path, breakage, gzipped)
    reader = WarcReader(path)
    with caplog.at_level(logging.WARNING):
        docs = {d.url: d.warc_offset for d in reader()}
    counts = reader.stats.as_dict()
    assert docs[PAGES[0]] == offsets[0] and docs[PAGES[2]] == offsets[2]
    # In a gzipped file each record is its own member, which bounds a record too long.
    whole = breakage == "garbage_between" or (gzipped and breakage == "length_too_long")
    if whole:
        assert docs[PAGES[1]] == offsets[1]
    else:
        assert PAGES[1] not in docs
    assert counts.get("resynced", 0) == (0 if gzipped and whole and "length" in breakage else 1)
    assert counts.get("broken_file", 0) == 0
    if counts.get("resynced"):
        assert f"{path}@" in caplog.text


def test_warcio_warnings_are_logged_and_counted_not_printed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    path, _ = _archive(tmp_path, "length_too_short", gzipped=False)
    reader = WarcReader(path)
    with caplog.at_level(logging.WARNING):
        list(reader())
    assert capfd.readouterr().err == ""
    assert reader.stats.as_dict()["warcio_warning/length_mismatch"] == 1
    assert "Content-Length is invalid" in caplog.text


def test_site_files_after_a_break_are_read(tmp_path: Path) -> None:
    path, _ = _archive(tmp_path, "length_too_long", gzipped=True)
    robots = _record("http://news.example/robots.txt", gzipped=True)
    path.write_bytes(path.read_bytes() + robots)
    assert [f.kind for f in archived_site_files(path)] == ["robots"]


@pytest.mark.parametrize(
    ("printed", "kind"),
    [
        (
            "WARNING: Record not followed by newline, perhaps Content-Length is invalid",
            "length_mismatch",
        ),
        ("Error -3 while decompressing data: invalid block type", "decompression"),
        ("Replacing spaces in invalid WARC-Target-URI: a b", ""),
    ],
)
def test_only_what_warcio_prints_about_a_break_is_a_break(printed: str, kind: str) -> None:
    assert _break(printed) == kind
