"""Train a tokenizer on a sample of a dataset version and write it with its card."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pipeline.dataset import resolve_version
from pipeline.lineage import view
from pipeline.tokenizer.card import write_tokenizer
from pipeline.tokenizer.sample import Sampled, SampleSpec, sample_texts
from pipeline.tokenizer.train import SPECIAL_TOKENS, Preset, train_bpe

__all__ = ["make_tokenizer"]


def make_tokenizer(
    dataset: Path,
    version: str | None,
    preset: Preset,
    spec: SampleSpec,
    out: Path,
    progress: bool = False,
) -> dict[str, Any]:
    """Sample ``dataset`` at ``version`` (its latest when None) by ``spec``, train a
    ``preset`` tokenizer, write it and its card under ``out``; returns the card."""
    snapshot = view(resolve_version(dataset, version))
    sampled = Sampled()
    started = time.monotonic()
    tokenizer = train_bpe(sample_texts(snapshot.shards, spec, sampled), preset, progress)
    seconds = time.monotonic() - started
    ids = {token: tokenizer.token_to_id(token) for token in SPECIAL_TOKENS}
    card = {
        "dataset": str(snapshot.folder.parent),
        "version": snapshot.name,
        "manifest_digest": snapshot.manifest.get("digest"),
        "preset": preset.name,
        "vocab_size": tokenizer.get_vocab_size(),
        "special_tokens": ids,
        "sample": {
            "chars": spec.chars,
            "weights": dict(sorted(spec.weights.items())),
            "seed": spec.seed,
        },
        "sampled_chars": dict(sorted(sampled.chars.items())),
        "sampled_documents": dict(sorted(sampled.documents.items())),
        "training_seconds": round(seconds, 3),
    }
    write_tokenizer(out, tokenizer, card)
    return card
