"""A large JSONL corpus read as row slices: the same rows in the same order, whatever the split."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline._parent import bound_pool
from pipeline.errors import ManifestError
from pipeline.licensed import LicensedReader, load_manifest, row_slices, validate_corpus
from pipeline.licensed import slices as slices_module
from pipeline.parallel import LocalExecutor

HEAD = """\
[corpus]
name = "acme"
licensor = "Acme Ltd."
license = "CC-BY-4.0"
training_allowed = true
valid_from = 2026-01-01
valid_until = 2026-12-31
"""


def corpus(folder: Path, files: dict[str, bytes]) -> Path:
    """A manifest over JSONL files given as raw bytes (any line endings)."""
    for name, data in files.items():
        (folder / name).write_bytes(data)
    entries = "".join(
        f'[[files]]\npath = "{name}"\nformat = "jsonl"\n[files.fields]\ntext = "t"\n'
        for name in files
    )
    manifest = folder / "manifest.toml"
    manifest.write_text(HEAD + entries)
    return manifest


def jsonl(texts: list[str], newline: str = "\n") -> bytes:
    return "".join(json.dumps({"t": t}) + newline for t in texts).encode()


def read(manifest: Path, every: int | None) -> list[tuple[str, int, str]]:
    """(file, row, text) of every document, read whole (None) or slice by slice."""
    loaded = load_manifest(manifest)
    parts = row_slices(loaded, every) if every else []
    readers = [LicensedReader(loaded, part) for part in parts] or [LicensedReader(loaded)]
    return [(d.licensed_file or "", d.licensed_row or 0, d.text) for r in readers for d in r()]


@pytest.mark.parametrize(
    ("files", "every", "expected"),
    [
        ({"a.jsonl": jsonl(["x"] * 10)}, 4, [(0, 0, 4), (0, 4, 8), (0, 8, 10)]),
        ({"a.jsonl": jsonl(["x"] * 8)}, 4, [(0, 0, 4), (0, 4, 8)]),  # ends on a slice's end
        ({"a.jsonl": jsonl(["x"] * 3)}, 4, []),  # one slice: read whole, as before
        ({"a.jsonl": jsonl(["x"] * 3), "b.jsonl": jsonl(["y"] * 2)}, 4, [(0, 0, 3), (1, 0, 2)]),
        ({"a.jsonl": jsonl(["x"] * 10, "\r\n")}, 5, [(0, 0, 5), (0, 5, 10)]),
        ({"a.jsonl": jsonl(["x"] * 10)[:-1]}, 5, [(0, 0, 5), (0, 5, 10)]),  # no final newline
        ({"a.jsonl": b'{"t": "x"}\r{"t": "y"}\n' * 5}, 2, []),  # a lone \r: left whole
    ],
)
def test_slices_cover_the_file_in_order(
    tmp_path: Path, files: dict[str, bytes], every: int, expected: list[tuple[int, int, int]]
) -> None:
    found = row_slices(load_manifest(corpus(tmp_path, files)), every)
    assert [(s.file, s.first, s.stop) for s in found] == expected
    for one, two in itertools.pairwise(found):
        if one.file == two.file:
            assert one.end == two.offset


def test_a_corpus_in_another_format_is_read_whole(tmp_path: Path) -> None:
    manifest = corpus(tmp_path, {"a.jsonl": jsonl(["x"] * 10)})
    text = tmp_path / "docs"
    text.mkdir()
    (text / "one.txt").write_text("one")
    manifest.write_text(manifest.read_text() + '[[files]]\npath = "docs"\nformat = "text"\n')
    assert row_slices(load_manifest(manifest), 2) == []


def test_the_default_slice_size_is_read_when_called(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = corpus(tmp_path, {"a.jsonl": jsonl(["x"] * 6)})
    monkeypatch.setattr(slices_module, "UNIT_ROWS", 2)
    assert len(row_slices(load_manifest(manifest))) == 3


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(st.text(max_size=12), max_size=30),
    every=st.integers(1, 7),
    newline=st.sampled_from(["\n", "\r\n"]),
    blank=st.booleans(),
)
def test_slices_read_the_rows_a_whole_read_does(
    tmp_path_factory: pytest.TempPathFactory,
    texts: list[str],
    every: int,
    newline: str,
    blank: bool,
) -> None:
    data = jsonl([t or "·" for t in texts], newline)
    if blank:  # blank lines keep their row number and are skipped
        data = data.replace(b"}" + newline.encode(), b"}" + newline.encode() * 2, 1)
    manifest = corpus(tmp_path_factory.mktemp("c"), {"a.jsonl": data, "b.jsonl": data})
    assert read(manifest, every) == read(manifest, None)


def rows(specs: Sequence[tuple[str, str] | str]) -> bytes:
    """JSONL of (id, text) rows; a plain string is a raw line (a broken row)."""
    return b"".join(
        (spec if isinstance(spec, str) else json.dumps({"i": spec[0], "t": spec[1]})).encode()
        + b"\n"
        for spec in specs
    )


def mapped(folder: Path, files: dict[str, bytes], on_error: str = "raise") -> Path:
    manifest = corpus(folder, files)
    text = manifest.read_text().replace('text = "t"\n', 'text = "t"\nid = "i"\n')
    manifest.write_text(text.replace("[[files]]", f'on_error = "{on_error}"\n[[files]]', 1))
    return manifest


@pytest.mark.parametrize(
    ("files", "on_error"),
    [
        # an id shared across two slices, and across two files
        ({"a.jsonl": rows([(f"d{i}", "x") for i in range(9)] + [("d1", "again")])}, "raise"),
        ({"a.jsonl": rows([("d1", "x"), ("d2", "y")]), "b.jsonl": rows([("d2", "z")])}, "raise"),
        # broken rows in several slices, one just after a shared id in its slice: row order
        (
            {"a.jsonl": rows([("d0", "x"), "{", ("d0", "y"), ("d3", ""), "[1]", ("d5", "z")])},
            "raise",
        ),
        # more problems than the message shows
        ({"a.jsonl": rows(["{"] * 9 + [("d9", "x")])}, "raise"),
        # skipped broken rows are no problem; a shared id still is
        ({"a.jsonl": rows([("d0", "x"), "{", ("d2", "y"), ("d0", "z")])}, "skip"),
    ],
    ids=["id_across_slices", "id_across_files", "row_order", "many", "skip"],
)
def test_checking_slices_on_workers_finds_what_one_pass_does(
    tmp_path: Path, files: dict[str, bytes], on_error: str
) -> None:
    """The pre-check of a sliced corpus runs on the build's workers: the message, down to
    the order of its problems, is the one a single pass over the files gives."""
    loaded = load_manifest(mapped(tmp_path, files, on_error))
    parts = row_slices(loaded, 2)
    assert parts, "the corpus is read as slices"
    with pytest.raises(ManifestError) as whole:
        validate_corpus(loaded)
    with pytest.raises(ManifestError) as serial:
        validate_corpus(loaded, parts)
    with bound_pool(2) as pool, pytest.raises(ManifestError) as pooled:
        validate_corpus(loaded, parts, LocalExecutor(2, pool=pool))
    assert str(serial.value) == str(pooled.value) == str(whole.value)


def test_a_clean_sliced_corpus_passes_on_workers(tmp_path: Path) -> None:
    loaded = load_manifest(mapped(tmp_path, {"a.jsonl": rows([(f"d{i}", "x") for i in range(9)])}))
    with bound_pool(2) as pool:
        validate_corpus(loaded, row_slices(loaded, 2), LocalExecutor(2, pool=pool))
