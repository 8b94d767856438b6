"""Encoding texts: every document's ids then the end-of-text id, in one array."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tokenizers import Tokenizer

from pipeline.tokens.encode import encode_texts
from pipeline.tokens.tokenizer_file import load_tokenizer


@pytest.fixture(scope="module")
def tokenizer(small_tokenizer: Path) -> Tokenizer:
    return load_tokenizer(small_tokenizer).load()


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [""],
        ["", "a", ""],
        ["Hello, world.", "Ünïcödé — 東京 🙂", "x" * 200_000],
        ["<|endoftext|> in the text is text, not the token"],
    ],
)
def test_ids_then_end_of_text_per_document(tokenizer: Tokenizer, texts: list[str]) -> None:
    tokens, lengths = encode_texts(tokenizer, texts, 0, np.dtype("uint16"))
    assert tokens.dtype == np.uint16 and sum(lengths) == tokens.size
    start = 0
    for text, length in zip(texts, lengths, strict=True):
        ids = tokens[start : start + length].tolist()
        assert ids == [*tokenizer.encode(text, add_special_tokens=False).ids, 0]
        start += length
    assert int((tokens == 0).sum()) == len(texts)  # end-of-text ends documents, only
    for text, length in zip(texts, lengths, strict=True):
        assert tokenizer.decode(tokens[: length - 1].tolist()) == text
        tokens = tokens[length:]
