"""The tokenizer a token output is made with: ``tokenizer.json`` loaded and checked once.

Every way a tokenizer file can be unusable is one :class:`~pipeline.errors.InputError`
or :class:`~pipeline.errors.ConfigError` naming the file and the reason: unreadable,
not JSON, JSON that ``tokenizers`` cannot load, no ``<|endoftext|>`` token (every
document ends with it), or ids too large for the format's token type. The file's sha256
names the tokenizer in the token manifest and in every unit key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from tokenizers import Tokenizer

from pipeline.errors import ConfigError, InputError

__all__ = ["END_OF_TEXT", "FORMATS", "TokenizerFile", "dtype_for", "load_tokenizer"]

END_OF_TEXT = "<|endoftext|>"
FORMATS = ("megatron", "nanogpt", "parquet")
#: Megatron-LM's ``DType.optimal_dtype``: uint16 below 65,500 tokens, else int32 (it has
#: no uint32 code).
_MEGATRON_UINT16_BELOW = 65_500


@dataclass(frozen=True)
class TokenizerFile:
    """A checked tokenizer file: where it is, its digest, size and end-of-text id."""

    path: Path
    sha256: str
    vocab_size: int
    eos_id: int

    def load(self) -> Tokenizer:
        """The ``tokenizers`` object (loaded again in each worker process)."""
        return Tokenizer.from_file(str(self.path))

    def to_json(self) -> dict[str, object]:
        return {
            "sha256": self.sha256,
            "vocab_size": self.vocab_size,
            "eos_id": self.eos_id,
            "eos_token": END_OF_TEXT,
        }


def load_tokenizer(path: Path) -> TokenizerFile:
    """Read and check ``path``; see the module docstring for what is refused."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the tokenizer file ({exc.strerror or exc})") from exc
    try:
        parsed = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a tokenizer file: corrupt JSON ({exc})") from exc
    if not isinstance(parsed, dict) or "model" not in parsed:
        raise InputError(f"{path}: not a tokenizers file (no model)")
    try:
        tokenizer = Tokenizer.from_str(data.decode("utf-8"))
    except Exception as exc:  # tokenizers raises a bare Exception for a malformed file
        raise InputError(f"{path}: not a tokenizers file ({exc})") from exc
    eos = tokenizer.token_to_id(END_OF_TEXT)
    if eos is None:
        raise ConfigError(f"{path}: the tokenizer has no {END_OF_TEXT} token to end documents")
    size = tokenizer.get_vocab_size(with_added_tokens=True)
    return TokenizerFile(path, hashlib.sha256(data).hexdigest(), size, eos)


def dtype_for(fmt: str, tokenizer: TokenizerFile) -> np.dtype[Any]:
    """The token type of ``fmt`` for this vocabulary (see docs/tokens.md)."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
    size = tokenizer.vocab_size
    if fmt == "megatron":
        name = "uint16" if size < _MEGATRON_UINT16_BELOW else "int32"
    else:
        name = "uint16" if size <= 2**16 else "uint32"
    dtype = np.dtype(name)
    if size - 1 > int(np.iinfo(name).max):
        raise ConfigError(
            f"{tokenizer.path}: {size:,} tokens do not fit the {fmt} format ({dtype.name} ids)"
        )
    return dtype
