"""The sample: inside its budget, in its mixture, the same every time, counted per source."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.errors import ConfigError
from pipeline.tokenizer.sample import Sampled, SampleSpec, sample_texts, shares, source_chars


def take(shards: tuple[Path, ...], spec: SampleSpec) -> tuple[list[str], Sampled]:
    sampled = Sampled()
    return list(sample_texts(shards, spec, sampled)), sampled


@pytest.mark.parametrize(
    ("chars", "weights", "totals", "expected"),
    [
        (100, {}, {"web": 1000, "acme": 1000}, {"acme": 50, "web": 50}),
        (90, {"web": 2}, {"web": 1000, "acme": 1000}, {"acme": 30, "web": 60}),
        (100, {"web": 0}, {"web": 1000, "acme": 1000}, {"acme": 100, "web": 0}),
        # acme has less than its half: it gives all it has, web takes the rest.
        (100, {}, {"web": 1000, "acme": 20}, {"acme": 20, "web": 80}),
        (5000, {}, {"web": 1000, "acme": 20}, {"acme": 20, "web": 1000}),
    ],
)
def test_the_budget_is_shared_by_weight(
    chars: int, weights: dict[str, float], totals: dict[str, int], expected: dict[str, int]
) -> None:
    assert shares(SampleSpec(chars, weights), totals) == expected


def test_the_sample_keeps_to_each_sources_share(shards: tuple[Path, ...]) -> None:
    totals = source_chars(shards)
    spec = SampleSpec(6000, {"web": 2, "acme": 1})
    texts, sampled = take(shards, spec)
    budget = shares(spec, totals)
    assert set(sampled.chars) <= {"web", "acme"}
    assert all(sampled.chars[s] <= budget[s] for s in sampled.chars)
    assert sum(map(len, texts)) == sum(sampled.chars.values()) <= 6000
    assert sum(sampled.documents.values()) == len(texts)


def test_a_source_weighing_nothing_gives_nothing(shards: tuple[Path, ...]) -> None:
    texts, sampled = take(shards, SampleSpec(10**9, {"web": 0}))
    assert set(sampled.chars) == {"acme"}
    assert sampled.chars["acme"] == source_chars(shards)["acme"]
    assert sampled.documents == {"acme": 4}
    assert len(texts) == 4


def test_a_budget_above_the_text_takes_every_document_whole(shards: tuple[Path, ...]) -> None:
    _, sampled = take(shards, SampleSpec(10**9))
    assert sampled.chars == source_chars(shards)
    assert sum(sampled.documents.values()) == sum(
        pq.ParquetFile(s).metadata.num_rows for s in shards
    )


def test_the_same_spec_takes_the_same_text(shards: tuple[Path, ...]) -> None:
    spec = SampleSpec(4000, {"acme": 3}, seed=7)
    assert take(shards, spec)[0] == take(shards, spec)[0]


def test_another_seed_takes_other_documents(shards: tuple[Path, ...]) -> None:
    picks = {tuple(take(shards, SampleSpec(4000, seed=seed))[0]) for seed in range(4)}
    assert len(picks) > 1


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (lambda: SampleSpec(100, {"nosuch": 1}), "no source nosuch in this version"),
        (lambda: SampleSpec(100, {"web": -1}), "weight of 'web' (-1) must be a number >= 0"),
        (lambda: SampleSpec(100, {"web": float("nan")}), "must be a number >= 0"),
        (lambda: SampleSpec(0), "sample characters (0) must be > 0"),
    ],
)
def test_a_bad_spec_is_refused(
    shards: tuple[Path, ...], spec: Callable[[], SampleSpec], message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        take(shards, spec())
