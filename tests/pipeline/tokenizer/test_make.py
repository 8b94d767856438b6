"""A tokenizer made from a version: the same spec gives the same bytes; the card says what
it was made from."""

from __future__ import annotations

import json
from pathlib import Path

from tokenizers import Tokenizer

from pipeline.lineage import read_manifest, version_folders
from pipeline.mixture import Mixture
from pipeline.tokenizer import (
    CARD_FILE,
    SPECIAL_TOKENS_MAP_FILE,
    TOKENIZER_CONFIG_FILE,
    TOKENIZER_FILE,
    SampleSpec,
    make_tokenizer,
    preset_for,
)

SPEC = SampleSpec(8000, Mixture.parse(["web=1", "acme=2", "lang:en=1.5"], seed=3))


def test_the_same_spec_and_version_give_the_same_bytes(small_dataset: Path, tmp_path: Path) -> None:
    for out in ("a", "b"):
        make_tokenizer(small_dataset, None, preset_for(None, 400), SPEC, tmp_path / out)
    first, second = (tmp_path / out / TOKENIZER_FILE for out in ("a", "b"))
    assert first.read_bytes() == second.read_bytes()


def test_another_seed_gives_another_tokenizer(small_dataset: Path, tmp_path: Path) -> None:
    preset = preset_for(None, 400)
    make_tokenizer(small_dataset, None, preset, SampleSpec(3000, Mixture(seed=1)), tmp_path / "a")
    make_tokenizer(small_dataset, None, preset, SampleSpec(3000, Mixture(seed=2)), tmp_path / "b")
    assert (tmp_path / "a" / TOKENIZER_FILE).read_bytes() != (
        tmp_path / "b" / TOKENIZER_FILE
    ).read_bytes()


def test_the_card_names_the_version_and_what_was_sampled(
    small_dataset: Path, tmp_path: Path
) -> None:
    returned = make_tokenizer(small_dataset, "v0001", preset_for(None, 400), SPEC, tmp_path)
    card = json.loads((tmp_path / CARD_FILE).read_text(encoding="utf-8"))
    assert card == returned
    version = version_folders(small_dataset)[-1]
    assert card["manifest_digest"] == read_manifest(version)["digest"]
    assert card["version"] == "v0001"
    assert card["dataset"] == str(small_dataset)
    assert card["vocab_size"] == 400
    assert card["special_tokens"]["<|endoftext|>"] == 0
    assert card["special_tokens"]["<|pad|>"] == 1
    assert card["sample"] == {
        "chars": 8000,
        "mixture": {"sources": {"acme": 2, "web": 1}, "languages": {"en": 1.5}, "seed": 3},
    }
    by_source, by_language = card["sampled"]["by_source"], card["sampled"]["by_language"]
    # Which documents a seed draws depends on their ids (the web pages' come from fresh WARC
    # record ids each build), so only what was sampled is checked, not which.
    assert by_source and set(by_source) <= {"acme", "web"} and set(by_language) == {"en"}
    assert sum(n["chars"] for n in by_source.values()) == by_language["en"]["chars"] <= 8000
    assert sum(n["documents"] for n in by_source.values()) == by_language["en"]["documents"]
    assert isinstance(card["training_seconds"], float)


def test_the_files_load_and_no_temporary_is_left(small_dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "new" / "folder"
    make_tokenizer(small_dataset, None, preset_for(None, 400), SPEC, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [CARD_FILE, SPECIAL_TOKENS_MAP_FILE, TOKENIZER_CONFIG_FILE, TOKENIZER_FILE]
    )
    loaded = Tokenizer.from_file(str(out / TOKENIZER_FILE))
    assert loaded.decode(loaded.encode("The keeper's ledger.").ids) == "The keeper's ledger."


def test_sampling_progress_ends_at_what_the_card_counts(
    small_dataset: Path, tmp_path: Path
) -> None:
    calls: list[tuple[int, int]] = []
    card = make_tokenizer(
        small_dataset,
        None,
        preset_for(None, 400),
        SPEC,
        tmp_path,
        on_sample=lambda *call: calls.append(call),
    )
    sampled = sum(n["chars"] for n in card["sampled"]["by_source"].values())
    assert calls[-1] == (sampled, sampled)
