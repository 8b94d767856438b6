"""``gleaner tokenize`` output read by the independent readers of ``layouts.py``: every
document decodes to its shard text, one EOS per document, and the index, the manifest and
the Megatron ``.idx`` agree with the token files."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from tokenizers import Tokenizer

from pipeline.dataset import resolve_version
from pipeline.lineage import view
from pipeline.mixture import Mixture
from pipeline.tokens import tokenize_version
from tests.pipeline.tokens.layouts import (
    MEGATRON_MAGIC,
    expected_order,
    read_documents,
    read_index,
    read_megatron,
    read_meta,
    read_nanogpt,
    shard_rows,
)

FORMATS = ("megatron", "nanogpt", "parquet")
VALIDATION = 0.3
#: Copies of every source: web documents once or twice, acme ones two or three times.
MIXTURE = Mixture.parse(["web=1.5", "acme=2.5"], seed=7)
SPLITS = ("train", "val")


@pytest.fixture(scope="module")
def rows(token_dataset: Path) -> list[list[dict[str, Any]]]:
    return shard_rows(view(resolve_version(token_dataset)).shards)


@pytest.fixture(scope="module")
def tokenizer(small_tokenizer: Path) -> Tokenizer:
    return Tokenizer.from_file(str(small_tokenizer))


@pytest.fixture(scope="module")
def made(
    token_dataset: Path, small_tokenizer: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Path]:
    """The token output of one format, made once per module."""
    folder = tmp_path_factory.mktemp("layouts")

    def make(fmt: str) -> Path:
        out = folder / fmt
        if not out.exists():
            tokenize_version(
                token_dataset,
                version=None,
                tokenizer=small_tokenizer,
                fmt=fmt,
                out=out,
                validation=VALIDATION,
                mixture=MIXTURE,
            )
        return out

    return make


@pytest.fixture(params=FORMATS)
def output(request: pytest.FixtureRequest, made: Callable[[str], Path]) -> Path:
    return made(request.param)


def manifest_of(out: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((out / "tokens.json").read_text(encoding="utf-8"))
    return manifest


def texts(rows: list[list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for shard in rows for r in shard}


def test_both_splits_hold_documents_and_copies(rows: list[list[dict[str, Any]]]) -> None:
    """The fixture exercises what the tests claim: both sides, and repeated documents."""
    order = expected_order(rows, VALIDATION, MIXTURE)
    assert order["train"] and order["val"]
    assert max(copy for _, copy in order["train"]) >= 2


def test_every_document_decodes_to_its_shard_text(
    output: Path, rows: list[list[dict[str, Any]]], tokenizer: Tokenizer
) -> None:
    eos = manifest_of(output)["tokenizer"]["eos_id"]
    by_id = texts(rows)
    for split, wanted in expected_order(rows, VALIDATION, MIXTURE).items():
        documents = read_documents(output, manifest_of(output)["format"], split, eos)
        assert len(documents) == len(wanted)
        for tokens, (doc_id, _) in zip(documents, wanted, strict=True):
            text = by_id[doc_id]["text"]
            assert tokens[-1] == eos
            ids = tokens[:-1].tolist()
            assert ids == tokenizer.encode(text, add_special_tokens=False).ids
            assert tokenizer.decode(ids) == tokenizer.decode(tokenizer.encode(text).ids)


def test_one_eos_per_document_copy(output: Path, rows: list[list[dict[str, Any]]]) -> None:
    manifest = manifest_of(output)
    eos, fmt = manifest["tokenizer"]["eos_id"], manifest["format"]
    for split, wanted in expected_order(rows, VALIDATION, MIXTURE).items():
        documents = read_documents(output, fmt, split, eos)
        stream = np.concatenate([*documents, np.empty(0, dtype=np.int64)])
        assert int((stream == eos).sum()) == len(wanted) == manifest["counts"][split]["documents"]
        assert stream.size == manifest["counts"][split]["tokens"]


def locate(out: Path, fmt: str, entry: dict[str, Any]) -> list[int]:
    """The tokens the index row names, found the way the row's format is read."""
    start, length = entry["offset"], entry["length"]
    if fmt == "megatron":
        dataset = read_megatron(out / Path(entry["file"]).with_suffix(""))
        itemsize = dataset.tokens.dtype.itemsize
        assert dataset.index.sequence_lengths[entry["row"]] == length
        assert dataset.index.sequence_pointers[entry["row"]] == start * itemsize
        return [int(t) for t in dataset.sequence(entry["row"])]
    if fmt == "nanogpt":
        return [int(t) for t in read_nanogpt(out, Path(entry["file"]).stem)[start : start + length]]
    table = pq.read_table(out / entry["file"]).to_pylist()
    assert sum(len(r["tokens"]) for r in table[: entry["row"]]) == start
    tokens: list[int] = table[entry["row"]]["tokens"]
    assert len(tokens) == length
    return tokens


def test_the_index_names_every_document_copy_where_it_is(
    output: Path, rows: list[list[dict[str, Any]]], tokenizer: Tokenizer
) -> None:
    manifest = manifest_of(output)
    index, by_id = read_index(output), texts(rows)
    wanted = expected_order(rows, VALIDATION, MIXTURE)
    assert sorted((r["split"], r["id"], r["copy"]) for r in index) == sorted(
        (split, doc_id, copy) for split, pairs in wanted.items() for doc_id, copy in pairs
    )
    for entry in index:
        row = by_id[entry["id"]]
        assert {k: entry[k] for k in ("source", "licensor", "language", "domain", "host")} == {
            k: row[k] for k in ("source", "licensor", "language", "domain", "host")
        }
        ids = tokenizer.encode(row["text"], add_special_tokens=False).ids
        eos = manifest["tokenizer"]["eos_id"]
        assert locate(output, manifest["format"], entry) == [*ids, eos]


def test_the_index_rows_are_the_file_order(output: Path) -> None:
    """Within a file, rows count 0, 1, 2, ... and offsets add up the lengths before."""
    by_file: dict[str, list[dict[str, Any]]] = {}
    for entry in read_index(output):
        by_file.setdefault(entry["file"], []).append(entry)
    for entries in by_file.values():
        entries.sort(key=lambda e: e["row"])
        assert [e["row"] for e in entries] == list(range(len(entries)))
        offsets = np.cumsum([0] + [e["length"] for e in entries[:-1]]).tolist()
        assert [e["offset"] for e in entries] == offsets


def test_token_counts_by_source_match_the_files(output: Path) -> None:
    manifest, index = manifest_of(output), read_index(output)
    tokens: Counter[str] = Counter()
    documents: Counter[str] = Counter()
    for entry in index:
        tokens[entry["source"]] += entry["length"]
        documents[entry["source"]] += 1
    assert manifest["counts"]["by_source"] == {
        source: {"documents": documents[source], "tokens": tokens[source]} for source in tokens
    }


@pytest.mark.parametrize("split", SPLITS)
def test_the_megatron_idx_header_and_arrays_follow_the_layout(
    made: Callable[[str], Path], rows: list[list[dict[str, Any]]], split: str
) -> None:
    out = made("megatron")
    read = read_megatron(out / split)
    header, count = read.index.header, len(expected_order(rows, VALIDATION, MIXTURE)[split])
    assert (header.magic, header.version, header.dtype_code) == (MEGATRON_MAGIC, 1, 8)
    assert (header.sequence_count, header.document_count) == (count, count + 1)
    assert read.index.document_indices.tolist() == list(range(count + 1))
    lengths = read.index.sequence_lengths.astype(np.int64)
    assert read.index.sequence_pointers.tolist() == ((np.cumsum(lengths) - lengths) * 2).tolist()
    assert (out / f"{split}.bin").stat().st_size == int(lengths.sum()) * 2


def test_the_output_carries_the_tokenizer_byte_for_byte(
    output: Path, small_tokenizer: Path
) -> None:
    data = small_tokenizer.read_bytes()
    assert (output / "tokenizer.json").read_bytes() == data
    assert manifest_of(output)["tokenizer"] == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "vocab_size": 400,
        "eos_id": 0,
        "eos_token": "<|endoftext|>",
    }


def test_nanogpt_meta_describes_the_streams(made: Callable[[str], Path]) -> None:
    out = made("nanogpt")
    meta = read_meta(out)
    assert {k: meta[k] for k in ("format", "format_version", "dtype", "vocab_size", "eos_id")} == {
        "format": "gleaner-nanogpt",
        "format_version": 1,
        "dtype": "uint16",
        "vocab_size": 400,
        "eos_id": 0,
    }
    for split in SPLITS:
        assert meta[f"{split}_tokens"] == read_nanogpt(out, split).size


def test_the_manifest_lists_exactly_the_files_of_the_output(output: Path) -> None:
    present = {
        p.relative_to(output).as_posix(): p
        for p in output.rglob("*")
        if p.is_file() and p.name != "tokens.json"
    }
    listed = {f["path"]: f for f in manifest_of(output)["files"]}
    assert sorted(listed) == sorted(present)
    for path, entry in listed.items():
        data = present[path].read_bytes()
        assert (entry["bytes"], entry["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
