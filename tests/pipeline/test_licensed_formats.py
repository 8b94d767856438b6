from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.build import build
from pipeline.config import BuildConfig
from pipeline.errors import ManifestError
from pipeline.licensed import (
    CorpusFile,
    LicensedReader,
    RowError,
    load_manifest,
    read_rows,
    validate_corpus,
)

ROWS = [
    {"key": "a", "body": "First licensed text.", "when": "2026-02-03"},
    {"key": "b", "body": "Second licensed text.", "when": ""},
]
HEAD = """\
[corpus]
name = "acme"
licensor = "Acme Ltd."
license = "CC-BY-4.0"
training_allowed = true
valid_from = 2026-01-01
valid_until = 2026-12-31
[[files]]
path = "{path}"
format = "{fmt}"
"""
MAPPING = '[files.fields]\nid = "key"\ntext = "body"\npublished_at = "when"\n'


def _write(folder: Path, fmt: str, rows: list[dict[str, object]]) -> Path:
    if fmt == "jsonl":
        (folder / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    elif fmt == "csv":
        with (folder / "d.csv").open("w", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    elif fmt == "parquet":
        pq.write_table(pa.Table.from_pylist(rows), folder / "d.parquet")
    else:
        (folder / "d").mkdir()
        for row in rows:
            (folder / "d" / f"{row['key']}.txt").write_text(str(row["body"]))
    path = "d" if fmt == "text" else f"d.{fmt}"
    manifest = folder / "manifest.toml"
    manifest.write_text(HEAD.format(path=path, fmt=fmt) + ("" if fmt == "text" else MAPPING))
    return manifest


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "text"])
def test_every_format_yields_the_same_documents(tmp_path: Path, fmt: str) -> None:
    corpus = load_manifest(_write(tmp_path, fmt, ROWS))
    validate_corpus(corpus)
    docs = list(LicensedReader(corpus)())
    assert [d.text for d in docs] == ["First licensed text.", "Second licensed text."]
    assert [d.licensed_row for d in docs] == [0, 1] and docs[0].license == "CC-BY-4.0"
    if fmt != "text":
        assert docs[0].published_at == date(2026, 2, 3) and docs[1].published_at is None


@pytest.mark.parametrize(
    ("fmt", "rows", "message"),
    [
        ("jsonl", [{"key": "a", "when": ""}], "d.jsonl:1: missing field 'body'"),
        (
            "jsonl",
            [ROWS[0], {"key": "b", "body": 7}],
            "d.jsonl:2: field 'body' must be str, got int",
        ),
        ("parquet", [{"key": "a", "body": "x", "when": "soon"}], "field 'when' is not a date"),
        ("csv", [{"key": "a", "body": "  ", "when": ""}], "d.csv:1: field 'body' is empty"),
    ],
)
def test_bad_rows_are_named_by_file_row_and_field(
    tmp_path: Path, fmt: str, rows: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(ManifestError, match=message):
        validate_corpus(load_manifest(_write(tmp_path, fmt, rows)))


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    manifest = _write(tmp_path, "parquet", ROWS)
    (tmp_path / "d.parquet").write_bytes(b"not parquet")
    with pytest.raises(ManifestError, match=r"d\.parquet: unreadable parquet file"):
        validate_corpus(load_manifest(manifest))


def test_a_bad_corpus_stops_the_build_before_anything_is_written(tmp_path: Path) -> None:
    manifest = _write(tmp_path, "jsonl", [{"key": "a", "body": None}])
    out = tmp_path / "dataset"
    config = BuildConfig(output=out, licensed=(manifest,), build_date=date(2026, 6, 1))
    with pytest.raises(ManifestError, match="missing field 'body'"):
        build(config)
    assert not out.exists()


@pytest.mark.parametrize(
    ("fmt", "name", "content"),
    [
        ("jsonl", "d.jsonl", b'{"body": "ok"}\n{"body": "caf\xe9"}\n{"body": "ok too"}\n'),
        ("csv", "d.csv", b'body\nok\n"caf\xe9"\nok too\n'),
    ],
)
def test_undecodable_rows_are_row_errors_between_good_rows(
    tmp_path: Path, fmt: str, name: str, content: bytes
) -> None:
    (tmp_path / name).write_bytes(content)
    rows = list(read_rows(CorpusFile(tmp_path / name, fmt, {"text": "body"})))
    assert [r for r, _ in rows] == [0, 1, 2]
    assert rows[1][1] == RowError("not UTF-8 text", reason="not_utf8")
    assert [rec["body"] for _, rec in (rows[0], rows[2])] == ["ok", "ok too"]  # type: ignore[index]
