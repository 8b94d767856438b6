"""A real small dataset (web pages and a licensed corpus) and a small tokenizer trained
on it, built once per session, for the token-output tests."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.dataset import resolve_version
from pipeline.lineage import view
from pipeline.tokenizer import Preset, train_bpe
from tests.pipeline.versions.datasets import build_dataset


@pytest.fixture(scope="session")
def token_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve web pages over three hosts and four ``acme`` documents, four per shard."""
    return build_dataset(tmp_path_factory.mktemp("tokens-dataset"))


@pytest.fixture(scope="session")
def small_tokenizer(token_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A byte-level BPE tokenizer of 400 tokens trained on the dataset's text."""
    texts = [
        text
        for shard in view(resolve_version(token_dataset)).shards
        for text in pq.read_table(shard, columns=["text"])["text"].to_pylist()
    ]
    path = tmp_path_factory.mktemp("tokens-tokenizer") / "tokenizer.json"
    path.write_text(train_bpe(texts, Preset("small", 400)).to_str(), encoding="utf-8")
    return path
