"""Edges of ``gleaner tokenize`` read back by the independent readers: the token type at
the uint16 / uint32 (Megatron: int32) boundary, empty and huge documents, and tokenizer
files that cannot be used."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from tokenizers import Tokenizer
from tokenizers.models import WordLevel
from tokenizers.pre_tokenizers import WhitespaceSplit

from gleaner.cli import cli
from pipeline.dataset import DatasetVersion
from pipeline.tokenizer import preset_for, train_bpe
from pipeline.tokens import tokenize_version
from record.schema import DOCUMENT_SCHEMA
from tests.pipeline.tokens.layouts import (
    read_documents,
    read_megatron,
    read_meta,
    read_nanogpt,
)
from tests.pipeline.versions.datasets import sample_texts, tiny_row

EOS = "<|endoftext|>"
#: A few MB of real prose in one document.
HUGE = "\n\n".join(text for _, text in sample_texts()) * 10


def write_version(dataset: Path, shards: list[list[tuple[str, str]]]) -> Path:
    """A version holding the given (id, text) documents, one shard per list."""
    version = DatasetVersion.start(dataset)
    (version.staging / "shards").mkdir()
    entries = []
    for number, documents in enumerate(shards):
        relative = f"shards/part-{number:05d}.parquet"
        rows = [row(doc_id, text) for doc_id, text in documents]
        pq.write_table(
            pa.Table.from_pylist(rows, schema=DOCUMENT_SCHEMA), version.staging / relative
        )
        data = (version.staging / relative).read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        entries.append({"path": relative, "rows": len(rows), "bytes": len(data), "sha256": sha256})
        entries[-1] |= {"origin": "added", "first_version": version.name}
    manifest = {"format": 2, "version": version.name, "parent": None, "shards": entries}
    return version.commit(manifest)


def row(doc_id: str, text: str) -> dict[str, Any]:
    digest = hashlib.sha256(text.encode()).hexdigest()
    words = len(text.split())
    return (
        tiny_row(doc_id)
        | {"text": text, "text_sha256": digest, "chars": len(text)}
        | {
            "words": words,
            "language": "en",
        }
    )


def word_level(size: int) -> Tokenizer:
    """A vocabulary of ``size`` words, no training: EOS 0, unknown 1, then ``w2``...."""
    vocab = {EOS: 0, "[UNK]": 1} | {f"w{i}": i for i in range(2, size)}
    tokenizer = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = WhitespaceSplit()
    tokenizer.add_special_tokens([EOS])
    return tokenizer


def tokenize(dataset: Path, tokenizer: Path, fmt: str, out: Path) -> Path:
    tokenize_version(dataset, version=None, tokenizer=tokenizer, fmt=fmt, out=out)
    return out


def token_type(out: Path, fmt: str) -> str:
    """The token type of the train split as each layout states it."""
    if fmt == "megatron":
        return str(read_megatron(out / "train").tokens.dtype)
    if fmt == "nanogpt":
        return str(read_meta(out)["dtype"])
    path = sorted((out / "data" / "train").glob("*.parquet"))[0]
    return str(pq.read_schema(path).field("tokens").type.value_type)


@pytest.mark.parametrize(
    ("fmt", "size", "dtype"),
    [
        ("megatron", 65_499, "uint16"),
        ("megatron", 65_500, "int32"),
        ("megatron", 70_000, "int32"),
        ("nanogpt", 65_536, "uint16"),
        ("nanogpt", 65_537, "uint32"),
        ("parquet", 65_536, "uint16"),
        ("parquet", 65_537, "uint32"),
    ],
)
def test_the_token_type_follows_the_vocabulary_size(
    tmp_path: Path, fmt: str, size: int, dtype: str
) -> None:
    top = [size - 1, 2, size - 2, 1]
    text = " ".join(f"w{i}" if i > 1 else "unknown" for i in top)
    dataset = tmp_path / "ds"
    write_version(dataset, [[("a", text), ("b", "w2 w3")]])
    word_level(size).save(str(tmp_path / "tokenizer.json"))
    out = tokenize(dataset, tmp_path / "tokenizer.json", fmt, tmp_path / "out")
    assert token_type(out, fmt) == dtype
    documents = [d.tolist() for d in read_documents(out, fmt, "train", 0)]
    assert documents == [[*top, 0], [2, 3, 0]]
    if fmt != "parquet":
        itemsize = np.dtype(dtype).itemsize
        assert (out / "train.bin").stat().st_size == (len(top) + 1 + 3) * itemsize


@pytest.fixture(scope="module")
def bpe_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bpe") / "tokenizer.json"
    train_bpe([text for _, text in sample_texts()], preset_for(None, 400)).save(str(path))
    return path


@pytest.fixture(scope="module")
def odd_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dataset = tmp_path_factory.mktemp("odd") / "ds"
    _, prose = sample_texts()[0]
    write_version(dataset, [[("empty", ""), ("one", "x"), ("prose", prose)], [("huge", HUGE)]])
    return dataset


@pytest.mark.parametrize("fmt", ["megatron", "nanogpt", "parquet"])
def test_empty_one_character_and_huge_documents_round_trip(
    odd_dataset: Path, bpe_file: Path, tmp_path: Path, fmt: str
) -> None:
    assert len(HUGE) > 2_000_000
    out = tokenize(odd_dataset, bpe_file, fmt, tmp_path / "out")
    tokenizer = Tokenizer.from_file(str(bpe_file))
    documents = read_documents(out, fmt, "train", 0)
    texts = ["", "x", sample_texts()[0][1], HUGE]
    assert len(documents) == len(texts)
    assert documents[0].tolist() == [0]
    for tokens, text in zip(documents, texts, strict=True):
        assert tokens[-1] == 0 and int((tokens == 0).sum()) == 1
        assert tokenizer.decode(tokens[:-1].tolist()) == tokenizer.decode(
            tokenizer.encode(text).ids
        )
    assert len(read_documents(out, fmt, "val", 0)) == 0
    if fmt == "nanogpt":
        assert read_nanogpt(out, "train").size == sum(len(d) for d in documents)


def corrupt(good: Path, bad: Path) -> None:
    bad.write_bytes(bytes(range(256)) * 4)


def truncated(good: Path, bad: Path) -> None:
    data = good.read_bytes()
    bad.write_bytes(data[: len(data) // 2])


def not_a_tokenizer(good: Path, bad: Path) -> None:
    bad.write_text(json.dumps({"version": "1.0", "vocab": {"a": 0}}), encoding="utf-8")


def broken_model(good: Path, bad: Path) -> None:
    data = json.loads(good.read_text(encoding="utf-8"))
    data["model"] = {"type": "BPE", "vocab": "not a vocabulary"}
    bad.write_text(json.dumps(data), encoding="utf-8")


def without_eos(good: Path, bad: Path) -> None:
    tokenizer = Tokenizer(WordLevel({"a": 0, "[UNK]": 1}, unk_token="[UNK]"))
    tokenizer.save(str(bad))


@pytest.mark.parametrize("damage", [corrupt, truncated, not_a_tokenizer, broken_model, without_eos])
@pytest.mark.parametrize("fmt", ["megatron", "parquet"])
def test_an_unusable_tokenizer_file_is_one_error_naming_it(
    odd_dataset: Path, bpe_file: Path, tmp_path: Path, damage: Any, fmt: str
) -> None:
    bad = tmp_path / "bad-tokenizer.json"
    damage(bpe_file, bad)
    out = tmp_path / "out"
    args = ["tokenize", str(odd_dataset), "--tokenizer", str(bad), "--format", fmt]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "bad-tokenizer.json" in errors[0], result.output
    assert "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "out.partial").exists()


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def other_tokenizer(out: Path, bad: Path) -> None:
    """A usable tokenizer, but not the one ``out`` was made with."""
    word_level(64).save(str(bad))


def tampered_copy(out: Path, bad: Path) -> None:
    """The output's own copy replaced by another tokenizer."""
    word_level(64).save(str(out / "tokenizer.json"))


@pytest.mark.parametrize(
    ("mismatch", "named"),
    [(other_tokenizer, "bad-tokenizer.json"), (tampered_copy, "out/tokenizer.json")],
)
def test_an_update_with_a_mismatched_tokenizer_is_one_error_and_keeps_the_output(
    odd_dataset: Path, bpe_file: Path, tmp_path: Path, mismatch: Any, named: str
) -> None:
    out = tokenize(odd_dataset, bpe_file, "nanogpt", tmp_path / "out")
    bad = tmp_path / "bad-tokenizer.json"
    mismatch(out, bad)
    before = files_of(out)
    args = ["tokenize", str(odd_dataset), "--out", str(out), "--update"]
    args += ["--tokenizer", str(bad)] if mismatch is other_tokenizer else []
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and named in errors[0], result.output
    assert files_of(out) == before


@pytest.mark.parametrize("fmt", ["megatron", "nanogpt"])
def test_a_literal_end_of_text_in_a_text_is_ordinary_text(
    bpe_file: Path, tmp_path: Path, fmt: str
) -> None:
    text = f"Models mark a document's end with {EOS}; this page only quotes it."
    write_version(tmp_path / "ds", [[("quote", text), ("plain", "x")]])
    out = tokenize(tmp_path / "ds", bpe_file, fmt, tmp_path / "out")
    tokenizer = Tokenizer.from_file(str(bpe_file))
    documents = read_documents(out, fmt, "train", 0)
    assert [int((d == 0).sum()) for d in documents] == [1, 1]
    assert tokenizer.decode(documents[0][:-1].tolist()) == text
