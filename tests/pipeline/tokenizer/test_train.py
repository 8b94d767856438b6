"""Byte-level BPE: declared special ids, exact round trips, presets that say what they do."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.errors import ConfigError
from pipeline.tokenizer.train import (
    END_OF_TEXT,
    PAD,
    PRESETS,
    RESERVED,
    SPECIAL_TOKENS,
    Preset,
    preset_for,
    train_bpe,
)


def texts_of(shards: tuple[Path, ...]) -> list[str]:
    return [
        t for shard in shards for t in pq.read_table(shard, columns=["text"])["text"].to_pylist()
    ]


def test_special_tokens_take_the_first_ids_in_declared_order(shards: tuple[Path, ...]) -> None:
    tokenizer = train_bpe(texts_of(shards), preset_for(None, 400))
    assert SPECIAL_TOKENS[:2] == (END_OF_TEXT, PAD)
    assert len(SPECIAL_TOKENS) == 2 + RESERVED
    assert [tokenizer.token_to_id(t) for t in SPECIAL_TOKENS] == list(range(len(SPECIAL_TOKENS)))
    assert tokenizer.get_vocab_size() == 400


def test_text_from_the_shards_round_trips(shards: tuple[Path, ...]) -> None:
    tokenizer = train_bpe(texts_of(shards), preset_for(None, 400))
    for text in [*texts_of(shards), "Ünïcödé, emoji 🙂 and  two  spaces\n\tdone"]:
        ids = tokenizer.encode(text).ids
        assert tokenizer.decode(ids) == text


def test_the_end_of_text_token_is_one_token(shards: tuple[Path, ...]) -> None:
    tokenizer = train_bpe(texts_of(shards), preset_for(None, 400))
    assert tokenizer.encode(f"a{END_OF_TEXT}b").ids.count(0) == 1


def test_the_100k_preset_splits_digits_one_by_one(shards: tuple[Path, ...]) -> None:
    digits = texts_of(shards) + ["2024 1999 31415926 2024 2024"] * 50
    split = train_bpe(digits, Preset("t", 400, split_digits=PRESETS["100k"].split_digits))
    plain = train_bpe(digits, preset_for(None, 400))
    assert split.encode("2024").tokens == ["2", "0", "2", "4"]
    assert len(plain.encode("2024").tokens) < 4


def test_whitespace_runs_stay_one_piece_for_indentation(shards: tuple[Path, ...]) -> None:
    code = texts_of(shards) + ["def f():\n        return 1\n"] * 50
    tokenizer = train_bpe(code, Preset("t", 400, split_digits=True))
    assert any(set(token) == {"Ġ"} and len(token) >= 4 for token in tokenizer.get_vocab())


@pytest.mark.parametrize(
    ("preset", "vocab_size", "expected"),
    [("49k", None, 49_152), ("100k", None, 100_352), (None, 1000, 1000)],
)
def test_presets_and_sizes(preset: str | None, vocab_size: int | None, expected: int) -> None:
    assert preset_for(preset, vocab_size).vocab_size == expected


@pytest.mark.parametrize(
    ("preset", "vocab_size", "message"),
    [
        ("49k", 1000, "give exactly one of a preset"),
        (None, None, "give exactly one of a preset"),
        ("7k", None, "unknown preset '7k'"),
        (None, 100, "vocabulary size (100) must be >= 274"),
    ],
)
def test_a_bad_size_is_refused(preset: str | None, vocab_size: int | None, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        preset_for(preset, vocab_size)
    assert message in str(raised.value)
