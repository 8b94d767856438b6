"""Tokenizers trained from a dataset version: a deterministic sample of its text
(:mod:`.sample`), byte-level BPE (:mod:`.train`), and the files handed over (:mod:`.card`)."""

from __future__ import annotations

from pipeline.tokenizer.card import (
    CARD_FILE,
    SPECIAL_TOKENS_MAP_FILE,
    TOKENIZER_CONFIG_FILE,
    TOKENIZER_FILE,
)
from pipeline.tokenizer.make import make_tokenizer
from pipeline.tokenizer.sample import Sampled, SampleProgress, SampleSpec, sample_texts
from pipeline.tokenizer.train import (
    PRESETS,
    SPECIAL_TOKENS,
    TECHNICAL_PATTERN,
    Preset,
    preset_for,
    train_bpe,
)

__all__ = [
    "CARD_FILE",
    "PRESETS",
    "SPECIAL_TOKENS",
    "SPECIAL_TOKENS_MAP_FILE",
    "TECHNICAL_PATTERN",
    "TOKENIZER_CONFIG_FILE",
    "TOKENIZER_FILE",
    "Preset",
    "SampleProgress",
    "SampleSpec",
    "Sampled",
    "make_tokenizer",
    "preset_for",
    "sample_texts",
    "train_bpe",
]
