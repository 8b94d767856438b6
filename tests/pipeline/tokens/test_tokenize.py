"""tokenize_version on a real small dataset: every format, the index, the split, weights."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from pipeline.errors import ConfigError
from pipeline.mixture import Mixture
from pipeline.tokens import tokenize_version
from pipeline.tokens.split import is_validation
from tests.pipeline.tokens.reading import index_rows, manifest, output_files, texts, tokens_of

FORMATS = ("megatron", "nanogpt", "parquet")


def run(dataset: Path, tokenizer: Path, out: Path, fmt: str, **options: object) -> dict:
    return tokenize_version(
        dataset,
        version=None,
        tokenizer=tokenizer,
        fmt=fmt,
        out=out,
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("validation", [0.0, 0.4])
def test_every_index_row_decodes_to_its_document(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, fmt: str, validation: float
) -> None:
    out = tmp_path / "out"
    result = run(token_dataset, small_tokenizer, out, fmt, validation=validation)
    tokenizer = Tokenizer.from_file(str(small_tokenizer))
    documents = texts(token_dataset)
    rows = index_rows(out)
    assert sorted(r["id"] for r in rows) == sorted(documents)
    for row in rows:
        tokens = tokens_of(out, row)
        assert tokens[-1] == 0 and 0 not in tokens[:-1]  # one end-of-text, last
        assert tokenizer.decode(tokens[:-1]) == documents[row["id"]]["text"]
        assert row["split"] == ("val" if is_validation(row["id"], validation) else "train")
        assert row["source"] == documents[row["id"]]["source"]
    assert result == manifest(out)


@pytest.mark.parametrize("fmt", FORMATS)
def test_counts_add_up_in_manifest_index_and_files(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "out"
    result = run(token_dataset, small_tokenizer, out, fmt, validation=0.3)
    rows = index_rows(out)
    counts = result["counts"]
    for side in ("train", "val"):
        mine = [r for r in rows if r["split"] == side]
        assert counts[side] == {"documents": len(mine), "tokens": sum(r["length"] for r in mine)}
        units = [u["splits"][side] for u in result["units"]]
        assert sum(u["tokens"] for u in units) == counts[side]["tokens"]
    total = sum(r["length"] for r in rows)
    for key in ("by_source", "by_language", "by_domain"):
        assert sum(c["tokens"] for c in counts[key].values()) == total
    for entry in result["files"]:
        data = (out / entry["path"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"])
    assert (out / "tokenizer.json").read_bytes() == small_tokenizer.read_bytes()
    if fmt != "parquet":
        itemsize = np.dtype(result["dtype"]).itemsize
        assert (out / "train.bin").stat().st_size == counts["train"]["tokens"] * itemsize


def test_megatron_index_layout(token_dataset: Path, small_tokenizer: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(token_dataset, small_tokenizer, out, "megatron", validation=0.3)
    data = (out / "train.idx").read_bytes()
    assert data[:9] == b"MMIDIDX\x00\x00"
    version, code, sequences, documents = struct.unpack("<QBQQ", data[9:34])
    assert (version, code, documents) == (1, 8, sequences + 1)
    lengths = np.frombuffer(data, "<i4", sequences, 34)
    pointers = np.frombuffer(data, "<i8", sequences, 34 + 4 * sequences)
    indices = np.frombuffer(data, "<i8", sequences + 1, 34 + 12 * sequences)
    train = [r for r in index_rows(out) if r["split"] == "train"]
    assert lengths.tolist() == [r["length"] for r in sorted(train, key=lambda r: r["row"])]
    assert pointers.tolist() == [2 * r["offset"] for r in sorted(train, key=lambda r: r["row"])]
    assert indices.tolist() == list(range(sequences + 1))
    assert result["counts"]["train"]["documents"] == sequences


def test_nanogpt_meta(token_dataset: Path, small_tokenizer: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(token_dataset, small_tokenizer, out, "nanogpt", validation=0.3)
    import json

    meta = json.loads((out / "meta.json").read_text())
    assert meta["dtype"] == "uint16" and meta["eos_id"] == 0 and meta["vocab_size"] == 400
    assert meta["train_tokens"] == result["counts"]["train"]["tokens"]
    assert meta["val_tokens"] == result["counts"]["val"]["tokens"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_validation_side(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "out"
    result = run(token_dataset, small_tokenizer, out, fmt)
    assert result["counts"]["val"] == {"documents": 0, "tokens": 0}
    if fmt == "parquet":
        assert not (out / "data" / "val").exists()
    else:
        assert (out / "val.bin").stat().st_size == 0
    if fmt == "megatron":
        assert struct.unpack("<Q", (out / "val.idx").read_bytes()[18:26]) == (0,)


@pytest.mark.parametrize(
    ("weights", "acme_copies"),
    [(["acme=0"], {0}), (["acme=2"], {2}), (["acme=0.5"], {0, 1}), (["acme=2.5"], {2, 3})],
)
def test_weights_repeat_or_drop_whole_documents(
    token_dataset: Path,
    small_tokenizer: Path,
    tmp_path: Path,
    weights: list[str],
    acme_copies: set[int],
) -> None:
    out = tmp_path / "out"
    run(token_dataset, small_tokenizer, out, "megatron", mixture=Mixture.parse(weights, seed=3))
    rows = index_rows(out)
    documents = texts(token_dataset)
    acme = [i for i, r in documents.items() if r["source"] == "acme"]
    seen = {i: sum(1 for r in rows if r["id"] == i) for i in acme}
    assert set(seen.values()) <= acme_copies
    assert all(sum(1 for r in rows if r["id"] == i) == 1 for i in documents if i not in acme)
    first = {r["id"]: r for r in rows if r["copy"] == 0}
    for row in rows:  # a copy is the same tokens as copy 0, after every copy 0 of its unit
        assert tokens_of(out, row) == tokens_of(out, first[row["id"]])
        if row["copy"]:
            unit = [r for r in rows if r["unit"] == row["unit"] and r["copy"] == 0]
            assert row["row"] > max(r["row"] for r in unit)


def test_weights_leave_validation_at_one_copy(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(
        token_dataset,
        small_tokenizer,
        out,
        "nanogpt",
        validation=0.5,
        mixture=Mixture.parse(["web=3"]),
    )
    rows = index_rows(out)
    assert {r["copy"] for r in rows if r["split"] == "val"} == {0}
    assert {r["copy"] for r in rows if r["split"] == "train" and r["source"] == "web"} == {0, 1, 2}


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_inputs_give_the_same_files(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, fmt: str
) -> None:
    mixture = Mixture.parse(["web=1.5"], seed=7)
    run(token_dataset, small_tokenizer, tmp_path / "a", fmt, validation=0.2, mixture=mixture)
    run(token_dataset, small_tokenizer, tmp_path / "b", fmt, validation=0.2, mixture=mixture)
    assert output_files(tmp_path / "a") == output_files(tmp_path / "b")


def test_two_workers_write_what_one_writes(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    run(token_dataset, small_tokenizer, tmp_path / "a", "megatron", validation=0.2)
    run(token_dataset, small_tokenizer, tmp_path / "b", "megatron", validation=0.2, workers=2)
    assert output_files(tmp_path / "a") == output_files(tmp_path / "b")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"mixture": Mixture.parse(["wbe=2"])}, "no wbe in this version"),
        ({"validation": 1.0}, "validation fraction (1.0) must be >= 0 and < 1"),
        ({"workers": 0}, "workers (0) must be >= 1"),
    ],
)
def test_bad_options_write_nothing(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path, options: dict, message: str
) -> None:
    out = tmp_path / "out"
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(token_dataset, small_tokenizer, out, "megatron", **options)
    assert not out.exists()


def test_a_non_empty_out_needs_update(
    token_dataset: Path, small_tokenizer: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="--update"):
        run(token_dataset, small_tokenizer, out, "megatron")
    assert (out / "notes.txt").read_text() == "mine"
