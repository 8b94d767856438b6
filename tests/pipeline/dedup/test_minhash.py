"""MinHash signatures and band keys: layout, determinism, and agreement with Jaccard."""

from __future__ import annotations

import random

import numpy as np
import pytest

from pipeline.dedup.minhash import (
    PRESETS,
    MinHashConfig,
    band_keys,
    shingle_hashes,
    signature,
    signatures,
)
from pipeline.errors import ConfigError

WORDS = [f"w{i}" for i in range(5000)]


def prose(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def edited(text: str, fraction: float, seed: int = 0) -> str:
    rng = random.Random(seed)
    words = text.split()
    for i in rng.sample(range(len(words)), int(len(words) * fraction)):
        words[i] = rng.choice(WORDS)
    return " ".join(words)


def jaccard(a: str, b: str) -> float:
    sa, sb = set(shingle_hashes(a).tolist()), set(shingle_hashes(b).tolist())
    return len(sa & sb) / len(sa | sb)


def test_fineweb_is_the_default_layout() -> None:
    config = MinHashConfig()
    assert (config.ngram, config.bands, config.rows, config.hashes) == (5, 14, 8, 112)
    assert PRESETS["fineweb"] == config
    assert 0.7 < config.threshold() < 0.75


@pytest.mark.parametrize("field", ["ngram", "bands", "rows"])
def test_bad_layouts_are_refused(field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        MinHashConfig(**{field: 0})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("The Cat sat  on the mat today", "the cat sat on the mat today", True),
        ("one two three four five six", "one two three four five seven", False),
        ("", "", True),
        ("short", "short", True),
    ],
)
def test_shingles_follow_normalised_words(a: str, b: str, same: bool) -> None:
    assert (set(shingle_hashes(a).tolist()) == set(shingle_hashes(b).tolist())) is same


def test_signatures_are_deterministic_and_shaped() -> None:
    texts = [prose(1), prose(2)]
    sig = signatures(texts, MinHashConfig())
    assert sig.shape == (2, 112) and sig.dtype == np.uint64
    assert np.array_equal(sig, signatures(texts, MinHashConfig()))
    keys = band_keys(sig, MinHashConfig())
    assert keys.shape == (2, 14)
    assert not np.array_equal(sig, signatures(texts, MinHashConfig(seed=2)))


@pytest.mark.parametrize("fraction", [0.0, 0.02, 0.05, 0.2])
def test_signature_agreement_estimates_jaccard(fraction: float) -> None:
    a = prose(7, 600)
    b = edited(a, fraction, seed=3)
    sig = signatures([a, b], MinHashConfig())
    estimate = float(np.mean(sig[0] == sig[1]))
    assert abs(estimate - jaccard(a, b)) < 0.15


def test_copies_share_bands_and_strangers_do_not() -> None:
    a, b, c = prose(1), prose(2), prose(1).upper()
    keys = band_keys(signatures([a, b, c], MinHashConfig()), MinHashConfig())
    assert np.array_equal(keys[0], keys[2])
    assert not set(keys[0].tolist()) & set(keys[1].tolist())


def test_a_signature_is_of_the_set_of_shingles() -> None:
    """Order and repeats do not count: a reordered or padded copy is the same document."""
    config = MinHashConfig()
    hashes = shingle_hashes(prose(3))
    sig = signature(hashes, config)
    assert np.array_equal(signature(hashes[::-1].copy(), config), sig)
    assert np.array_equal(signature(np.concatenate([hashes, hashes[:40]]), config), sig)
    assert not np.array_equal(signature(hashes[: len(hashes) // 2], config), sig)


@pytest.mark.parametrize(
    ("shingles", "similarity"),
    [(8, 0.78), (60, 0.5), (60, 0.8), (480, 0.7), (480, 0.8), (480, 0.9), (3000, 0.8)],
)
def test_agreement_estimates_jaccard_without_bias_and_bands_catch_as_designed(
    shingles: int, similarity: float
) -> None:
    """Over 300 pairs of shingle sets at a known Jaccard (short texts too): the share of
    equal values averages the Jaccard, and a pair becomes an LSH candidate as often as
    ``1 - (1 - J**rows)**bands`` says (what the near-dup recall rests on)."""
    config = MinHashConfig()
    rng = np.random.default_rng(shingles)
    shared = round(2 * shingles * similarity / (1 + similarity))
    exact = shared / (2 * shingles - shared)
    estimates, caught = [], 0
    for _ in range(300):
        common = rng.integers(0, 2**63, shared, dtype=np.uint64)
        a, b = (
            np.concatenate([common, rng.integers(0, 2**63, shingles - shared, dtype=np.uint64)])
            for _ in range(2)
        )
        sigs = np.stack([signature(a, config), signature(b, config)])
        estimates.append(float(np.mean(sigs[0] == sigs[1])))
        keys = band_keys(sigs, config)
        caught += bool((keys[0] == keys[1]).any())
    assert abs(np.mean(estimates) - exact) < 0.015
    designed = 1 - (1 - exact**config.rows) ** config.bands
    assert abs(caught / 300 - designed) < 0.08
