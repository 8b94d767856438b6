from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.readers import WarcReader, decode_html, warc_files


def test_reads_html_responses_with_provenance(tiny_warc: Path) -> None:
    reader = WarcReader(tiny_warc)
    docs = list(reader())
    assert [d.url for d in docs] == ["http://127.0.0.1:1/a", "http://127.0.0.1:1/latin"]
    first = docs[0]
    assert first.warc_file == "tiny.warc.gz" and first.warc_record_id.startswith("<urn:uuid:")
    assert first.warc_offset == 0 and docs[1].warc_offset > 0
    assert first.host == "127.0.0.1:1" and "<article>" in first.text
    assert reader.stats.as_dict() == {
        "total": 4,
        "kept": 2,
        "dropped": 2,
        "dropped/not_html": 1,
        "dropped/not_2xx": 1,
    }


@pytest.mark.parametrize("cut", [10, 200, -50])
def test_truncated_file_keeps_what_was_read_and_never_raises(
    tiny_warc: Path, tmp_path: Path, cut: int
) -> None:
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(tiny_warc.read_bytes()[:cut])
    reader = WarcReader(broken)
    docs = list(reader())
    assert len(docs) <= 2
    counts = reader.stats.as_dict()
    assert counts.get("kept", 0) == len(docs)


def test_garbage_file_is_counted_not_raised(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"\x00\xff not a warc at all" * 100)
    reader = WarcReader(junk)
    assert list(reader()) == []
    counts = reader.stats.as_dict()
    assert counts.get("broken_file", 0) + counts.get("dropped/bad_record", 0) >= 1


@pytest.mark.parametrize(
    ("body", "ctype", "text"),
    [
        ("caf\u00e9".encode(), "text/html; charset=utf-8", "caf\u00e9"),
        ("caf\u00e9".encode("latin-1"), "text/html; charset=ISO-8859-1", "caf\u00e9"),
        (b"caf\xe9", "text/html", "caf\ufffd"),
        (b"abc", "text/html; charset=bogus", "abc"),
    ],
)
def test_decode_html(body: bytes, ctype: str, text: str) -> None:
    assert decode_html(body, ctype) == text


def test_warc_files_finds_archives_recursively(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    for name in ("a/x.warc.gz", "y.warc", "notes.txt"):
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in warc_files(tmp_path)] == ["x.warc.gz", "y.warc"]
