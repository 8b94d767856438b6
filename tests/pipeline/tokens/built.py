"""The small dataset and tokenizer the token-output tests share (fixtures call these)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from pipeline.dataset import resolve_version
from pipeline.lineage import view
from pipeline.tokenizer import Preset, train_bpe
from tests.pipeline.versions.datasets import build_dataset


def build_token_dataset(folder: Path) -> Path:
    """Twelve web pages over three hosts and four ``acme`` documents, four per shard."""
    return build_dataset(folder)


def train_small_tokenizer(dataset: Path, path: Path) -> Path:
    """A byte-level BPE tokenizer of 400 tokens trained on the dataset's text, at ``path``."""
    texts = [
        text
        for shard in view(resolve_version(dataset)).shards
        for text in pq.read_table(shard, columns=["text"])["text"].to_pylist()
    ]
    path.write_text(train_bpe(texts, Preset("small", 400)).to_str(), encoding="utf-8")
    return path
