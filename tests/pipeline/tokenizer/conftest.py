"""A real small dataset (web pages and a licensed corpus, built once) to train on."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.dataset import resolve_version
from pipeline.lineage import view
from tests.pipeline.versions.datasets import build_dataset


@pytest.fixture(scope="session")
def small_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve web pages over three hosts and four documents of the ``acme`` corpus."""
    return build_dataset(tmp_path_factory.mktemp("tokenizer-dataset"))


@pytest.fixture
def shards(small_dataset: Path) -> tuple[Path, ...]:
    return view(resolve_version(small_dataset)).shards
