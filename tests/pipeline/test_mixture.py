"""Mixture weights: parsed from SOURCE=W and lang:CODE=W, multiplied, turned into copies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.errors import ConfigError
from pipeline.mixture import Mixture, copies, draw


@pytest.mark.parametrize(
    ("pairs", "sources", "languages"),
    [
        ([], {}, {}),
        (["web=2"], {"web": 2.0}, {}),
        (["web=2", "lang:fr=0.5", "acme = 0"], {"web": 2.0, "acme": 0.0}, {"fr": 0.5}),
    ],
)
def test_pairs_parse_into_source_and_language_weights(
    pairs: list[str], sources: dict[str, float], languages: dict[str, float]
) -> None:
    mixture = Mixture.parse(pairs, seed=3)
    assert (dict(mixture.sources), dict(mixture.languages), mixture.seed) == (
        sources,
        languages,
        3,
    )


@pytest.mark.parametrize("pair", ["web", "web=", "=2", "web=two", "lang:=1", "web=-1", "web=inf"])
def test_a_malformed_pair_is_a_config_error_naming_it(pair: str) -> None:
    with pytest.raises(ConfigError, match="weight"):
        Mixture.parse([pair])


@pytest.mark.parametrize(
    ("source", "language", "expected"),
    [("web", "fr", 1.0), ("web", "de", 2.0), ("acme", "en", 1.5), ("acme", None, 3.0)],
)
def test_a_documents_weight_is_its_sources_times_its_languages(
    source: str, language: str | None, expected: float
) -> None:
    mixture = Mixture({"web": 2.0, "acme": 3.0}, {"fr": 0.5, "en": 0.5})
    assert mixture.weight(source, language) == pytest.approx(expected)


def test_an_unknown_source_or_language_is_named() -> None:
    mixture = Mixture({"wbe": 1.0}, {"xx": 2.0})
    with pytest.raises(ConfigError, match=r"wbe.*lang:xx.*sources: acme, web"):
        mixture.check_known(["web", "acme"], ["en", None])


@pytest.mark.parametrize(("weight", "low", "high"), [(0.0, 0, 0), (1.0, 1, 1), (2.5, 2, 3)])
def test_copies_are_the_whole_part_plus_a_draw_for_the_fraction(
    weight: float, low: int, high: int
) -> None:
    seen = {copies(weight, 0, f"doc-{n}") for n in range(200)}
    assert seen == ({low} if low == high else {low, high})


def test_a_fraction_keeps_about_that_share_of_documents() -> None:
    kept = sum(copies(0.3, 7, f"doc-{n}") for n in range(10_000))
    assert 2_700 < kept < 3_300


@given(st.floats(0, 5), st.integers(0, 2**32), st.text(max_size=20))
def test_copies_depend_only_on_weight_seed_and_id(weight: float, seed: int, doc: str) -> None:
    assert copies(weight, seed, doc) == copies(weight, seed, doc)
    assert 0 <= draw(seed, doc) < 1
