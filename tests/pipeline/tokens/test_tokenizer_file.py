"""Loading and checking a tokenizer file: every unusable file is one clear error."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import ConfigError, InputError
from pipeline.tokens.tokenizer_file import dtype_for, load_tokenizer


def test_a_trained_tokenizer_loads(small_tokenizer: Path) -> None:
    checked = load_tokenizer(small_tokenizer)
    assert (checked.vocab_size, checked.eos_id) == (400, 0)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("content", "error", "reason"),
    [
        (None, InputError, "cannot read the tokenizer file"),
        (b"{not json", InputError, "corrupt JSON"),
        (b"\xff\xfe", InputError, "corrupt JSON"),
        (b'{"vocab": {}}', InputError, "not a tokenizers file"),
        (b'{"model": {"type": "Nope"}}', InputError, "not a tokenizers file"),
    ],
)
def test_an_unusable_file_names_itself_and_why(
    tmp_path: Path, content: bytes | None, error: type[Exception], reason: str
) -> None:
    path = tmp_path / "tokenizer.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error, match=reason) as caught:
        load_tokenizer(path)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_a_tokenizer_without_end_of_text(small_tokenizer: Path, tmp_path: Path) -> None:
    data = json.loads(small_tokenizer.read_text())
    data["added_tokens"] = [t for t in data["added_tokens"] if t["content"] != "<|endoftext|>"]
    data["model"]["vocab"].pop("<|endoftext|>")
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match=r"no <\|endoftext\|> token"):
        load_tokenizer(path)


@pytest.mark.parametrize(
    ("fmt", "vocab_size", "dtype"),
    [
        ("nanogpt", 65_536, "uint16"),
        ("nanogpt", 65_537, "uint32"),
        ("parquet", 65_536, "uint16"),
        ("parquet", 100_352, "uint32"),
        ("megatron", 65_499, "uint16"),
        ("megatron", 65_500, "int32"),
        ("megatron", 100_352, "int32"),
    ],
)
def test_the_token_type_fits_the_vocabulary(
    small_tokenizer: Path, fmt: str, vocab_size: int, dtype: str
) -> None:
    checked = replace(load_tokenizer(small_tokenizer), vocab_size=vocab_size)
    assert dtype_for(fmt, checked).name == dtype


def test_a_vocabulary_too_large_for_the_format(small_tokenizer: Path) -> None:
    checked = replace(load_tokenizer(small_tokenizer), vocab_size=2**31 + 1)
    with pytest.raises(ConfigError, match="do not fit the megatron format"):
        dtype_for("megatron", checked)
