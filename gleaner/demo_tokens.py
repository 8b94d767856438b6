"""The demo's tokens: a small tokenizer trained on the demo dataset, its token shards, and
the same shards brought up to date after the late opt-out.

Pretraining reads tokens, not Parquet text, so the demo shows the whole way there: a
byte-level BPE of :data:`DEMO_VOCAB` tokens trained on the first version
(``gleaner tokenizer train``), Megatron-LM token files of that version with a tenth of the
documents on the validation side (``gleaner tokenize``), and after the refresh removed a
publisher, ``gleaner tokenize --update``: only the shards the removal rewrote are tokenized
again, and the opted-out publisher's tokens are gone with its text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.mixture import Mixture
from pipeline.tokenizer import TOKENIZER_FILE, SampleSpec, make_tokenizer, preset_for
from pipeline.tokens import tokenize_version

__all__ = ["DEMO_VOCAB", "TOKENIZER_DIR", "TOKENS_DIR", "first_tokens", "update_tokens"]

#: Small enough to train in a second on the demo's few hundred thousand characters.
DEMO_VOCAB = 1024
TOKENIZER_DIR = "tokenizer"
TOKENS_DIR = "tokens"
_VALIDATION = 0.1
_SAMPLE_CHARS = 10_000_000  # more than the demo has: every document is read


def first_tokens(dataset: Path, out: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """Train the demo tokenizer on ``dataset``'s latest version and tokenize it."""
    folder = out / TOKENIZER_DIR
    card = make_tokenizer(
        dataset, None, preset_for(None, DEMO_VOCAB), SampleSpec(_SAMPLE_CHARS, Mixture()), folder
    )
    sampled = sum(entry["chars"] for entry in card["sampled"]["by_source"].values())
    say(f"tokenizer: {card['vocab_size']:,} tokens trained on {sampled:,} characters: {folder}")
    manifest = tokenize_version(
        dataset,
        version=None,
        tokenizer=folder / TOKENIZER_FILE,
        fmt="megatron",
        out=out / TOKENS_DIR,
        validation=_VALIDATION,
    )
    say(f"token shards of {manifest['version']} (Megatron-LM .bin/.idx): {_per_source(manifest)}")
    return manifest


def update_tokens(dataset: Path, out: Path, say: Callable[[str], None]) -> dict[str, Any]:
    """Bring the demo's token shards to ``dataset``'s latest version (after a removal)."""
    manifest = tokenize_version(
        dataset, version=None, tokenizer=None, fmt="", out=out / TOKENS_DIR, update=True
    )
    updated = manifest["updated_from"]
    say(
        f"tokenize --update {updated['version']} -> {manifest['version']}: "
        f"{updated['tokenized_units']} of {len(manifest['units'])} shard(s) tokenized again; "
        f"{_per_source(manifest)}"
    )
    return manifest


def _per_source(manifest: dict[str, Any]) -> str:
    """``web 81,234 tokens, acme 12,345 tokens`` from a token manifest's counts."""
    by_source = manifest["counts"]["by_source"]
    return ", ".join(f"{name} {entry['tokens']:,} tokens" for name, entry in by_source.items())
