"""The files a trained tokenizer is handed over in, each written atomically.

``tokenizer.json`` is the ``tokenizers`` serialisation (``Tokenizer.from_file`` and
``transformers``' ``PreTrainedTokenizerFast(tokenizer_file=...)`` load it);
``tokenizer_config.json`` and ``special_tokens_map.json`` beside it let
``AutoTokenizer.from_pretrained(folder)`` load the folder as it is, with the end-of-text
and padding tokens named; ``tokenizer-card.json`` (written last) says what it was made
from: the dataset and version, the version's manifest digest, the preset and vocabulary
size, the special tokens and their ids, the sampling spec and mixture, the characters and
documents actually sampled per source and per language, and how long training took.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tokenizers import Tokenizer

from pipeline.tokenizer.train import END_OF_TEXT, PAD, SPECIAL_TOKENS

__all__ = [
    "CARD_FILE",
    "SPECIAL_TOKENS_MAP_FILE",
    "TOKENIZER_CONFIG_FILE",
    "TOKENIZER_FILE",
    "write_atomic",
    "write_tokenizer",
]

TOKENIZER_FILE = "tokenizer.json"
TOKENIZER_CONFIG_FILE = "tokenizer_config.json"
SPECIAL_TOKENS_MAP_FILE = "special_tokens_map.json"
CARD_FILE = "tokenizer-card.json"

_SPECIAL_TOKENS_MAP = {
    "eos_token": END_OF_TEXT,
    "pad_token": PAD,
    "additional_special_tokens": [t for t in SPECIAL_TOKENS if t not in (END_OF_TEXT, PAD)],
}
#: ``transformers``' view of the folder: our class needs no Python code of its own, and
#: decoding must give back the exact text, so no clean-up of spaces before punctuation.
_TOKENIZER_CONFIG = {
    "tokenizer_class": "PreTrainedTokenizerFast",
    "clean_up_tokenization_spaces": False,
    **_SPECIAL_TOKENS_MAP,
}


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary name beside ``path``, then rename it into place."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_tokenizer(out: Path, tokenizer: Tokenizer, card: dict[str, Any]) -> None:
    """``tokenizer.json``, the ``transformers`` files and then ``tokenizer-card.json``
    under ``out`` (made if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / TOKENIZER_FILE, tokenizer.to_str(pretty=True))
    write_atomic(out / TOKENIZER_CONFIG_FILE, _json(_TOKENIZER_CONFIG))
    write_atomic(out / SPECIAL_TOKENS_MAP_FILE, _json(_SPECIAL_TOKENS_MAP))
    write_atomic(out / CARD_FILE, _json(card))


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, indent=2, sort_keys=True) + "\n"
