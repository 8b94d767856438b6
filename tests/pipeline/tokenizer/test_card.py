"""The handed-over folder loads in ``transformers`` offline, with the same ids as
``tokenizers`` and our end-of-text and padding tokens named."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from tokenizers import Tokenizer

from pipeline.mixture import Mixture
from pipeline.tokenizer import (
    CARD_FILE,
    SPECIAL_TOKENS_MAP_FILE,
    TOKENIZER_CONFIG_FILE,
    TOKENIZER_FILE,
    Preset,
    SampleSpec,
    make_tokenizer,
)

huggingface_hub = pytest.importorskip("huggingface_hub")
transformers = pytest.importorskip("transformers")

TEXTS = [
    "The keeper's ledger, 2024 edition.",
    "def f(x):\n        return x != 0  # 🙂\n",
    "Ünïcödé  two  spaces\r\n\t<div>{{ entry }}</div>",
    "",
]


@pytest.fixture(scope="module")
def folder(small_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handed-over")
    spec = SampleSpec(8000, Mixture(seed=1))
    make_tokenizer(small_dataset, None, Preset("t", 400, technical=True), spec, out)
    return out


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Offline as a user sets it, and any connection attempt fails the test."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)

    def refuse(*args: object) -> None:
        raise AssertionError(f"a connection was attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_pretrained_tokenizer_fast_gives_the_same_ids(folder: Path) -> None:
    ours = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_file=str(folder / TOKENIZER_FILE),
        eos_token="<|endoftext|>",
        pad_token="<|pad|>",
    )
    for text in TEXTS:
        ids = ours.encode(text).ids
        assert fast.encode(text, add_special_tokens=False) == ids
        assert fast.decode(ids) == text
    assert (fast.eos_token_id, fast.pad_token_id) == (0, 1)


@pytest.mark.parametrize("loader", ["AutoTokenizer", "PreTrainedTokenizerFast"])
def test_the_folder_loads_with_from_pretrained(folder: Path, loader: str) -> None:
    ours = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
    loaded = getattr(transformers, loader).from_pretrained(str(folder))
    assert (loaded.eos_token, loaded.eos_token_id) == ("<|endoftext|>", 0)
    assert (loaded.pad_token, loaded.pad_token_id) == ("<|pad|>", 1)
    for text in TEXTS:
        assert loaded(text)["input_ids"] == ours.encode(text).ids
    batch = loaded(TEXTS[:2], padding=True)["input_ids"]
    assert batch[0][-1] == 1  # the shorter one is padded with <|pad|>


def test_the_transformers_files_name_our_special_tokens(folder: Path) -> None:
    config = json.loads((folder / TOKENIZER_CONFIG_FILE).read_text(encoding="utf-8"))
    tokens = json.loads((folder / SPECIAL_TOKENS_MAP_FILE).read_text(encoding="utf-8"))
    assert config["tokenizer_class"] == "PreTrainedTokenizerFast"
    assert config["clean_up_tokenization_spaces"] is False
    assert tokens["eos_token"] == "<|endoftext|>" and tokens["pad_token"] == "<|pad|>"
    assert tokens["additional_special_tokens"][0] == "<|reserved_0|>"
    assert (folder / CARD_FILE).is_file()
