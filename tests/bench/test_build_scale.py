"""The build-at-scale rows' corpus and config, without building anything large or timing."""

from __future__ import annotations

import json
from pathlib import Path

from bench._licensed_corpus import ensure_licensed_corpus
from bench.rows.build_scale import _config
from bench.run import parse_args
from pipeline.config import load_build_config
from pipeline.licensed import load_manifest, validate_corpus


def test_the_corpus_is_valid_sized_and_holds_copies(tmp_path: Path) -> None:
    corpus = ensure_licensed_corpus(tmp_path / "c", 300, seed=1)
    validate_corpus(load_manifest(corpus.manifest))
    texts = [json.loads(line)["text"] for line in (tmp_path / "c" / "documents.jsonl").open()]
    assert len(texts) == corpus.docs == 300
    assert 2_500 <= sum(map(len, texts)) / len(texts) <= 3_500  # ~3 KB documents
    assert texts[99] == texts[98] and texts[49] != texts[48]  # an exact and a near copy
    assert len(set(texts[49].split()) & set(texts[48].split())) > 0.8 * len(set(texts[48].split()))


def test_the_corpus_is_reused_while_its_parameters_match(tmp_path: Path) -> None:
    first = ensure_licensed_corpus(tmp_path / "c", 20, seed=1)
    stamp = (tmp_path / "c" / "documents.jsonl").stat().st_mtime_ns
    assert ensure_licensed_corpus(tmp_path / "c", 20, seed=1) == first
    assert (tmp_path / "c" / "documents.jsonl").stat().st_mtime_ns == stamp
    ensure_licensed_corpus(tmp_path / "c", 21, seed=1)
    assert len((tmp_path / "c" / "documents.jsonl").read_text().splitlines()) == 21


def test_the_build_config_turns_every_filter_off(tmp_path: Path) -> None:
    corpus = ensure_licensed_corpus(tmp_path / "c", 5)
    config = load_build_config(_config(tmp_path / "out", corpus.manifest))
    assert config.workers == 2 and config.licensed == (corpus.manifest,)
    assert not config.quality.enabled
    assert not any(getattr(config.filters, name).enabled for name in config.filters.__slots__)


def test_large_is_a_flag_of_the_run() -> None:
    assert parse_args(["--large"]).large and not parse_args([]).large
