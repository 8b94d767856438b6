"""Content keys of build inputs: size and mtime as the quick check, sha256 as the judge."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.fingerprint import FileKey, changed_input, input_files
from pipeline.flow import Unit


def _later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


def _touched(path: Path) -> None:
    _later(path)


def _same_size_edit(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"harbour", b"harbout"))
    _later(path)


def _same_size_edit_same_mtime(path: Path) -> None:
    stat = path.stat()
    path.write_bytes(path.read_bytes().replace(b"harbour", b"harbout"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _appended(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b" and more")


@pytest.mark.parametrize(
    ("change", "matches"),
    [
        (lambda path: None, True),
        (_touched, True),  # same content, new mtime: the sha256 says it is the same input
        (_same_size_edit, False),  # same size, new mtime: the sha256 says it changed
        (_appended, False),  # a new size needs no hashing
        (Path.unlink, False),
        # The limit of the quick check, as with make and rsync: size and mtime forged back.
        (_same_size_edit_same_mtime, True),
    ],
    ids=["unchanged", "touched", "edited", "appended", "deleted", "edited_with_mtime_restored"],
)
def test_a_key_matches_only_the_content_it_was_taken_of(
    tmp_path: Path, change: Callable[[Path], None], matches: bool
) -> None:
    path = tmp_path / "a.warc"
    path.write_bytes(b"the harbour was quiet")
    key = FileKey.of(path)
    change(path)
    assert key.matches(path) is matches


@given(st.binary(max_size=64), st.binary(max_size=64))
def test_after_a_rewrite_a_key_matches_exactly_when_the_bytes_are_equal(
    old: bytes, new: bytes
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(old)
        key = FileKey.of(path)
        path.write_bytes(new)
        _later(path)
        assert key.matches(path) is (old == new)
        assert FileKey.from_json(key.to_json()) == key


def test_changed_input_names_a_new_or_a_vanished_file(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_text("a")
    b.write_text("b")
    keys = [FileKey.of(a)]
    assert changed_input(keys, [a]) is None
    assert changed_input(keys, [a, b]) == str(b.resolve())
    assert changed_input([*keys, FileKey.of(b)], [a]) == str(b.resolve())


def test_a_text_corpus_depends_on_its_manifest_and_every_txt_file(tmp_path: Path) -> None:
    (tmp_path / "texts" / "deeper").mkdir(parents=True)
    for name in ("texts/one.txt", "texts/deeper/two.txt", "texts/notes.md"):
        (tmp_path / name).write_text("text")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[corpus]\nname = "n"\nlicensor = "l"\nlicense = "CC0"\ntraining_allowed = true\n'
        "valid_from = 2026-01-01\nvalid_until = 2026-12-31\n"
        '[[files]]\npath = "texts"\nformat = "text"\n'
    )
    files = input_files(Unit(0, "licensed", manifest))
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "manifest.toml",
        "texts/deeper/two.txt",
        "texts/one.txt",
    ]


def test_a_crawl_archive_depends_on_its_decision_logs(tmp_path: Path) -> None:
    warc, log = tmp_path / "x.warc.gz", tmp_path / "decisions.parquet"
    assert input_files(Unit(0, "crawl", warc, (log,))) == [warc, log]
