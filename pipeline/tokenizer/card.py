"""The files a trained tokenizer is handed over in, each written atomically.

``tokenizer.json`` is the ``tokenizers`` serialisation (``Tokenizer.from_file`` and
``transformers``' ``PreTrainedTokenizerFast(tokenizer_file=...)`` load it);
``tokenizer-card.json`` says what it was made from: the dataset and version, the
version's manifest digest, the preset and vocabulary size, the special tokens and their
ids, the sampling spec and the characters actually sampled per source, and how long
training took.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tokenizers import Tokenizer

__all__ = ["CARD_FILE", "TOKENIZER_FILE", "write_atomic", "write_tokenizer"]

TOKENIZER_FILE = "tokenizer.json"
CARD_FILE = "tokenizer-card.json"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary name beside ``path``, then rename it into place."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_tokenizer(out: Path, tokenizer: Tokenizer, card: dict[str, Any]) -> None:
    """``tokenizer.json`` and then ``tokenizer-card.json`` under ``out`` (made if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / TOKENIZER_FILE, tokenizer.to_str(pretty=True))
    write_atomic(out / CARD_FILE, json.dumps(card, indent=2, sort_keys=True) + "\n")
