"""A real small dataset (web pages and a licensed corpus) and a small tokenizer trained
on it, built once per session, for the token-output tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipeline.tokens.built import build_token_dataset, train_small_tokenizer


@pytest.fixture(scope="session")
def token_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_token_dataset(tmp_path_factory.mktemp("tokens-dataset"))


@pytest.fixture(scope="session")
def small_tokenizer(token_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tokens-tokenizer")
    return train_small_tokenizer(token_dataset, folder / "tokenizer.json")
