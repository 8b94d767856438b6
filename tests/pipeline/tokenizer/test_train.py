"""Byte-level BPE: declared special ids, exact round trips, presets that say what they do."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tokenizers import Tokenizer

from pipeline.dataset import resolve_version
from pipeline.errors import ConfigError
from pipeline.lineage import view
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


#: A small vocabulary with the 100k preset's split, for speed.
TECHNICAL = Preset("t", 600, technical=PRESETS["100k"].technical)
CODE = """\
def ledger(entries):
    total = 0
    for entry in entries:
        if entry.amount != 0:
            total += entry.amount
        else:
            continue
    return total


class Keeper:
    def __init__(self, name):
        self.name = name
        self.entries = []
"""
MARKUP = '<div class="entry">\n  <p>{{ entry.name }}</p>\n</div>\n'


@pytest.fixture(scope="module")
def technical(shards: tuple[Path, ...]) -> Tokenizer:
    numbers = ["In 2024 the keeper wrote 1999 and 31415926 entries."] * 30
    return train_bpe(texts_of(shards) + [CODE] * 40 + [MARKUP] * 20 + numbers, TECHNICAL)


@pytest.fixture(scope="module")
def shards(small_dataset: Path) -> tuple[Path, ...]:
    return view(resolve_version(small_dataset)).shards


def test_the_100k_preset_keeps_digits_one_per_token(technical: Tokenizer) -> None:
    assert technical.encode("2024").tokens == ["2", "0", "2", "4"]
    assert technical.encode(" 31415926").tokens[1:] == list("31415926")
    assert not any(len(t) > 1 and t.strip("Ġ").isdigit() for t in technical.get_vocab())


def test_a_plain_vocabulary_learns_numbers(shards: tuple[Path, ...]) -> None:
    plain = train_bpe(texts_of(shards) + ["2024 1999 2024 2024"] * 50, preset_for(None, 400))
    assert len(plain.encode("2024").tokens) < 4


@pytest.mark.parametrize("depth", [4, 8, 12])
def test_the_100k_preset_learns_indentation_runs_as_one_token(
    technical: Tokenizer, depth: int
) -> None:
    tokens = technical.encode(f"\n{' ' * depth}total = 0").tokens
    # The run but its last space is one token; the last space joins the word.
    assert tokens[:3] == ["Ċ", "Ġ" * (depth - 1), "Ġtotal"]


def test_the_100k_preset_learns_operators_and_markup(technical: Tokenizer) -> None:
    vocabulary = technical.get_vocab()
    assert {"Ġ!=", "Ġ+=", "):Ċ", "</", "Ġ}}</"} <= set(vocabulary)
    assert "Ġ!=" in technical.encode("if a != b").tokens


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_the_100k_preset_round_trips_any_text(technical: Tokenizer, text: str) -> None:
    assert technical.decode(technical.encode(text).ids, skip_special_tokens=False) == text


@pytest.mark.parametrize(
    "text",
    [CODE, MARKUP, "", " ", "\r\n\t \u00a0\u2028x", "a\u0301 Ünïcödé 🙂 ٣٤ 五", "x" * 5000],
)
def test_the_100k_preset_round_trips_code_and_odd_text(technical: Tokenizer, text: str) -> None:
    assert technical.decode(technical.encode(text).ids) == text


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
