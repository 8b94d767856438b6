"""Byte-level BPE training with Hugging Face ``tokenizers``.

Every tokenizer is byte-level: text is split by the GPT-2 pattern and mapped to the 256
byte symbols (all in the initial alphabet, so no input is ever unknown), and the
ByteLevel decoder turns tokens back into the exact text. Special tokens are declared
once, in :data:`SPECIAL_TOKENS`, and take the first ids in that order: ``<|endoftext|>``
(0) ends each document, ``<|pad|>`` (1) pads batches, and ``<|reserved_0|>`` ..
``<|reserved_{RESERVED - 1}|>`` are kept unused so a later chat or tool format can name
its markers without changing any id.

Presets (the vocabulary includes the special tokens and the 256 bytes):

- ``49k``: 49,152 tokens (3 x 2^14, a multiple of 64 for the embedding matrix), the
  plain GPT-2-style byte-level split; for small models.
- ``100k``: 100,352 tokens (98 x 1024) with technical choices: digits are split one by
  one before the byte-level split (``Digits(individual_digits=True)``), so numbers are
  read digit by digit and no arbitrary multi-digit token is learned; runs of whitespace
  stay one piece in the pattern (``\\s+(?!\\S)``), so code indentation is learned as
  whole tokens instead of one space at a time.

Training is deterministic for the same texts in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from pipeline.errors import ConfigError

__all__ = [
    "END_OF_TEXT",
    "PAD",
    "PRESETS",
    "RESERVED",
    "SPECIAL_TOKENS",
    "Preset",
    "preset_for",
    "train_bpe",
]

END_OF_TEXT = "<|endoftext|>"
PAD = "<|pad|>"
#: How many ``<|reserved_N|>`` tokens follow the end-of-text and padding tokens.
RESERVED = 16
SPECIAL_TOKENS: tuple[str, ...] = (
    END_OF_TEXT,
    PAD,
    *(f"<|reserved_{n}|>" for n in range(RESERVED)),
)
_BYTES = 256


@dataclass(frozen=True)
class Preset:
    """A vocabulary size and whether digits are split one by one."""

    name: str
    vocab_size: int
    split_digits: bool = False


PRESETS = {
    "49k": Preset("49k", 49_152),
    "100k": Preset("100k", 100_352, split_digits=True),
}


def preset_for(name: str | None, vocab_size: int | None) -> Preset:
    """The named preset, or a plain byte-level one of ``vocab_size`` tokens."""
    if name is not None and vocab_size is None:
        if name not in PRESETS:
            raise ConfigError(f"unknown preset {name!r} (presets: {', '.join(PRESETS)})")
        return PRESETS[name]
    if name is not None or vocab_size is None:
        raise ConfigError("give exactly one of a preset (49k, 100k) and a vocabulary size")
    smallest = _BYTES + len(SPECIAL_TOKENS)
    if vocab_size < smallest:
        raise ConfigError(f"vocabulary size ({vocab_size}) must be >= {smallest}")
    return Preset("custom", vocab_size)


def train_bpe(texts: Iterable[str], preset: Preset, progress: bool = False) -> Tokenizer:
    """A byte-level BPE tokenizer trained on ``texts`` (``progress``: bars on stderr)."""
    tokenizer = Tokenizer(models.BPE())
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    if preset.split_digits:
        digits = pre_tokenizers.Digits(individual_digits=True)
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence([digits, byte_level])
    else:
        tokenizer.pre_tokenizer = byte_level
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=preset.vocab_size,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=progress,
    )
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer
