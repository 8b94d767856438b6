"""Tokenizers trained from a dataset version: a deterministic sample of its text
(:mod:`.sample`), byte-level BPE (:mod:`.train`), and the files handed over (:mod:`.card`)."""

from __future__ import annotations

from pipeline.tokenizer.card import CARD_FILE, TOKENIZER_FILE
from pipeline.tokenizer.make import make_tokenizer
from pipeline.tokenizer.sample import Sampled, SampleSpec, sample_texts
from pipeline.tokenizer.train import PRESETS, SPECIAL_TOKENS, Preset, preset_for, train_bpe

__all__ = [
    "CARD_FILE",
    "PRESETS",
    "SPECIAL_TOKENS",
    "TOKENIZER_FILE",
    "Preset",
    "SampleSpec",
    "Sampled",
    "make_tokenizer",
    "preset_for",
    "sample_texts",
    "train_bpe",
]
