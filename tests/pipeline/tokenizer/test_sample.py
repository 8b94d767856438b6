"""The sample: inside its budget, in its mixture, the same every time, counted per source
and per language."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.errors import ConfigError
from pipeline.mixture import Mixture
from pipeline.tokenizer.sample import Sampled, SampleSpec, group_chars, sample_texts, shares

#: (source, language, documents) of the hand-made shards; every text is 100 characters.
GROUPS = [("web", "en", 40), ("web", "fr", 20), ("web", None, 10), ("acme", "en", 10)]


@pytest.fixture
def mixed(tmp_path: Path) -> tuple[Path, ...]:
    """Two shards of 100-character documents in three languages (and none) and two sources."""
    rows = [
        {"id": f"{source}-{language}-{n}", "source": source, "language": language}
        for source, language, count in GROUPS
        for n in range(count)
    ]
    for row in rows:
        row["text"] = (row["id"] + " ").ljust(100, "x")
        row["chars"] = 100
    paths = (tmp_path / "00000.parquet", tmp_path / "00001.parquet")
    for path, part in zip(paths, (rows[::2], rows[1::2]), strict=True):
        pq.write_table(pa.Table.from_pylist(part), path)
    return paths


def take(shards: tuple[Path, ...], spec: SampleSpec) -> tuple[list[str], Sampled]:
    sampled = Sampled()
    return list(sample_texts(shards, spec, sampled)), sampled


def chars_of(sampled: Sampled, kind: str) -> dict[str, int]:
    return {name: taken["chars"] for name, taken in sampled.to_json()[kind].items()}


@pytest.mark.parametrize(
    ("chars", "weights", "totals", "expected"),
    [
        (100, {"web": 1, "acme": 1}, {"web": 1000, "acme": 1000}, {"acme": 50, "web": 50}),
        (90, {"web": 2, "acme": 1}, {"web": 1000, "acme": 1000}, {"acme": 30, "web": 60}),
        (100, {"web": 0, "acme": 1}, {"web": 1000, "acme": 1000}, {"acme": 100, "web": 0}),
        # acme has less than its half: it gives all it has, web takes the rest.
        (100, {"web": 1, "acme": 1}, {"web": 1000, "acme": 20}, {"acme": 20, "web": 80}),
        (5000, {"web": 1, "acme": 1}, {"web": 1000, "acme": 20}, {"acme": 20, "web": 1000}),
    ],
)
def test_the_budget_is_shared_by_weight(
    chars: int, weights: dict[str, float], totals: dict[str, int], expected: dict[str, int]
) -> None:
    assert shares(chars, weights, totals) == expected


def test_groups_are_sources_by_languages(mixed: tuple[Path, ...]) -> None:
    assert group_chars(mixed) == {(s, lang): 100 * n for s, lang, n in GROUPS}


def test_the_budget_follows_source_times_language_weights(mixed: tuple[Path, ...]) -> None:
    # Weights web/en 2, web/fr 2 * 0.5, web/- 2, acme/en 1: 3000 characters split 2:1:2:1,
    # then web/- (1000 characters) is full and its leftover is split 2:1:1.
    mixture = Mixture.parse(["web=2", "lang:fr=0.5"])
    totals = group_chars(mixed)
    budget = shares(3000, {g: mixture.weight(*g) for g in totals}, totals)
    assert budget == {
        ("web", "en"): 1000,
        ("web", "fr"): 500,
        ("web", None): 1000,
        ("acme", "en"): 500,
    }
    _, sampled = take(mixed, SampleSpec(3000, mixture))
    by_language = chars_of(sampled, "by_language")
    assert by_language["unknown"] == 1000
    assert 0 < by_language["fr"] <= 500 and 0 < by_language["en"] <= 1500
    assert 0 < chars_of(sampled, "by_source")["acme"] <= 500


def test_a_language_weighing_nothing_gives_nothing(mixed: tuple[Path, ...]) -> None:
    texts, sampled = take(mixed, SampleSpec(10**9, Mixture.parse(["lang:en=0"])))
    assert sampled.to_json()["by_language"] == {
        "fr": {"chars": 2000, "documents": 20},
        "unknown": {"chars": 1000, "documents": 10},
    }
    assert chars_of(sampled, "by_source") == {"web": 3000}
    assert len(texts) == 30


def test_the_sample_keeps_to_each_sources_share(shards: tuple[Path, ...]) -> None:
    spec = SampleSpec(6000, Mixture({"web": 2, "acme": 1}))
    texts, sampled = take(shards, spec)
    totals = group_chars(shards)
    budget = shares(6000, {g: spec.mixture.weight(*g) for g in totals}, totals)
    assert set(chars_of(sampled, "by_source")) <= {"web", "acme"}
    assert all(chars_of(sampled, "by_source")[s] <= budget[s, "en"] for s in ("web", "acme"))
    assert sum(map(len, texts)) == sampled.chars <= 6000
    documents = sum(t["documents"] for t in sampled.to_json()["by_source"].values())
    assert documents == len(texts)


def test_a_source_weighing_nothing_gives_nothing(shards: tuple[Path, ...]) -> None:
    texts, sampled = take(shards, SampleSpec(10**9, Mixture({"web": 0})))
    acme = sum(n for (source, _), n in group_chars(shards).items() if source == "acme")
    assert sampled.to_json()["by_source"] == {"acme": {"chars": acme, "documents": 4}}
    assert len(texts) == 4


def test_a_budget_above_the_text_takes_every_document_whole(shards: tuple[Path, ...]) -> None:
    _, sampled = take(shards, SampleSpec(10**9))
    assert sampled.chars == sum(group_chars(shards).values())
    documents = sum(t["documents"] for t in sampled.to_json()["by_language"].values())
    assert documents == sum(pq.ParquetFile(s).metadata.num_rows for s in shards)


def test_the_same_spec_takes_the_same_text(shards: tuple[Path, ...]) -> None:
    spec = SampleSpec(4000, Mixture({"acme": 3}, seed=7))
    assert take(shards, spec)[0] == take(shards, spec)[0]


def test_another_seed_takes_other_documents(shards: tuple[Path, ...]) -> None:
    picks = {tuple(take(shards, SampleSpec(4000, Mixture(seed=s)))[0]) for s in range(4)}
    assert len(picks) > 1


def test_progress_counts_up_to_what_was_taken(mixed: tuple[Path, ...]) -> None:
    calls: list[tuple[int, int]] = []
    sampled = Sampled()
    texts = list(sample_texts(mixed, SampleSpec(3000), sampled, lambda *c: calls.append(c)))
    taken = [done for done, _ in calls]
    assert taken == sorted(taken)
    assert all(done <= total <= 3000 for done, total in calls)
    assert calls[-1] == (sampled.chars, sampled.chars) == (sum(map(len, texts)),) * 2


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (["nosuch=1"], "no nosuch in this version (sources: acme, web; languages: en, fr)"),
        (["lang:de=2"], "no lang:de in this version"),
    ],
)
def test_an_unknown_name_is_refused(
    mixed: tuple[Path, ...], weights: list[str], message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        take(mixed, SampleSpec(100, Mixture.parse(weights)))


def test_no_characters_is_refused() -> None:
    with pytest.raises(ConfigError, match=re.escape("sample characters (0) must be > 0")):
        SampleSpec(0)
