"""Train a tokenizer on a sample of a dataset version and write it with its card."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pipeline.dataset import resolve_version
from pipeline.lineage import view
from pipeline.tokenizer.card import write_tokenizer
from pipeline.tokenizer.sample import Sampled, SampleProgress, SampleSpec, sample_texts
from pipeline.tokenizer.train import SPECIAL_TOKENS, Preset, train_bpe

__all__ = ["make_tokenizer"]


def make_tokenizer(
    dataset: Path,
    version: str | None,
    preset: Preset,
    spec: SampleSpec,
    out: Path,
    *,
    on_sample: SampleProgress | None = None,
    show_training: bool = False,
) -> dict[str, Any]:
    """Sample ``dataset`` at ``version`` (its latest when None) by ``spec``, train a
    ``preset`` tokenizer, write it and its card under ``out``; returns the card.

    ``on_sample(taken, total)`` is called as the sample is read (characters taken so far
    and the sample's size); ``show_training`` shows ``tokenizers``' own bars on stderr.
    """
    snapshot = view(resolve_version(dataset, version))
    sampled = Sampled()
    started = time.monotonic()
    texts = sample_texts(snapshot.shards, spec, sampled, on_sample)
    tokenizer = train_bpe(texts, preset, show_training)
    seconds = time.monotonic() - started
    ids = {token: tokenizer.token_to_id(token) for token in SPECIAL_TOKENS}
    card = {
        "dataset": str(snapshot.folder.parent),
        "version": snapshot.name,
        "manifest_digest": snapshot.manifest.get("digest"),
        "preset": preset.name,
        "vocab_size": tokenizer.get_vocab_size(),
        "special_tokens": ids,
        "sample": {"chars": spec.chars, "mixture": spec.mixture.to_json()},
        "sampled": sampled.to_json(),
        "training_seconds": round(seconds, 3),
    }
    write_tokenizer(out, tokenizer, card)
    return card
