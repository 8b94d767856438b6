"""nanoGPT's side file: ``meta.json`` says how to read ``train.bin`` and ``val.bin``."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.tokens.tokenizer_file import TokenizerFile

__all__ = ["META_FILE", "write_meta"]

META_FILE = "meta.json"


def write_meta(out: Path, dtype: str, tokenizer: TokenizerFile, tokens: dict[str, int]) -> None:
    """``meta.json``: the token type, vocabulary, end-of-text id and tokens per side."""
    meta = {
        "format": "gleaner-nanogpt",
        "format_version": 1,
        "dtype": dtype,
        "vocab_size": tokenizer.vocab_size,
        "eos_id": tokenizer.eos_id,
        "train_tokens": tokens["train"],
        "val_tokens": tokens["val"],
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", "utf-8")
