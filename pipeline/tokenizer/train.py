r"""Byte-level BPE training with Hugging Face ``tokenizers``.

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
- ``100k``: 100,352 tokens (98 x 1024) with technical tokens, made by the split that
  comes before byte-level BPE (:data:`TECHNICAL_PATTERN`; BPE never merges across
  pieces of the split, so the split decides which tokens can exist):

  - digits one by one (``\p{N}``): numbers are read digit by digit and no arbitrary
    multi-digit token is learned (as in Llama 2, StarCoder and DeepSeek; cl100k, o200k
    and Llama 3 take up to three digits, which gives 1,110 number tokens of uneven
    frequency instead of 10);
  - whitespace runs (``\s*[\r\n]+``, ``\s+(?!\S)``): blanks at the end of a line
    join its line break, and a run of spaces or tabs before a word is one piece but for
    its last blank (which joins the word), so indentation levels are learned as whole
    tokens instead of one space at a time;
  - punctuation runs kept apart from letters and digits (`` ?[^\s\p{L}\p{N}]+[\r\n]*``):
    operators and markup (``->``, ``!=``, ``==``, ``</``, ``/>``, ``{{``, ```` ``` ````,
    ``*/``) are learned as their own tokens, with a line break that ends them;
  - letters with at most one leading symbol (``[^\r\n\p{L}\p{N}]?\p{L}+``), so
    `` return``, ``.append``, ``_id`` and ``$this`` can each be one token, and English
    contractions (``'s``, ``'ll``) split off case-insensitively.

  This is the cl100k (GPT-4) and Llama 3 pattern with single digits. No fixed list of
  programming or markup pieces is added: an added token is cut out of the text before
  the split, so forcing ``->`` would turn `` ->`` into a lone space and ``->`` and give
  other pieces than the ones training counted; what the split allows, the sample's own
  frequencies choose. Every piece is still mapped to bytes, so any text round-trips.

Training is deterministic for the same texts in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

from pipeline.errors import ConfigError

__all__ = [
    "END_OF_TEXT",
    "PAD",
    "PRESETS",
    "RESERVED",
    "SPECIAL_TOKENS",
    "TECHNICAL_PATTERN",
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
#: The split of the ``100k`` preset (see the module docstring), piece by piece.
TECHNICAL_PATTERN = "|".join(
    [
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)",
        r"[^\r\n\p{L}\p{N}]?\p{L}+",
        r"\p{N}",
        r" ?[^\s\p{L}\p{N}]+[\r\n]*",
        r"\s*[\r\n]+",
        r"\s+(?!\S)",
        r"\s+",
    ]
)


@dataclass(frozen=True)
class Preset:
    """A vocabulary size and whether the split makes technical tokens (see module)."""

    name: str
    vocab_size: int
    technical: bool = False


PRESETS = {
    "49k": Preset("49k", 49_152),
    "100k": Preset("100k", 100_352, technical=True),
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
    tokenizer.pre_tokenizer = _split(preset)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=preset.vocab_size,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=progress,
    )
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer


def _split(preset: Preset) -> pre_tokenizers.PreTokenizer:
    """The GPT-2 split inside ByteLevel, or the technical split and then bytes."""
    if not preset.technical:
        return pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    technical = pre_tokenizers.Split(Regex(TECHNICAL_PATTERN), behavior="isolated")
    byte_level = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    return pre_tokenizers.Sequence([technical, byte_level])
