"""A deterministic, streaming sample of a version's text for tokenizer training.

A :class:`SampleSpec` says how much text (a character budget) and in what mixture (a
weight per source: ``web`` and each licensed corpus by name; a source not named weighs
1). The budget is shared among sources in proportion to their weights; a source with
less text than its share gives all it has and the rest goes to the others. A document
is taken when a hash of the seed and its id falls under its source's share of that
source's characters, so the sample is spread over the whole version, not its first
shards, and the same spec on the same version takes the same documents. The last
document a source takes is cut to fit, so no source exceeds its share.

Shards are read in pyarrow batches of a few columns; the whole dataset is never held
in memory. :class:`Sampled` records the characters actually taken per source.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.errors import ConfigError

__all__ = ["SampleSpec", "Sampled", "sample_texts", "shares", "source_chars"]

_BATCH_ROWS = 512


@dataclass(frozen=True)
class SampleSpec:
    """How much text and in what mixture: ``chars`` in all, ``weights`` per source."""

    chars: int
    weights: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self) -> None:
        if self.chars <= 0:
            raise ConfigError(f"sample characters ({self.chars!r}) must be > 0")
        for source, weight in self.weights.items():
            if not (math.isfinite(weight) and weight >= 0):
                raise ConfigError(f"weight of {source!r} ({weight!r}) must be a number >= 0")


@dataclass
class Sampled:
    """What a sample took: characters and documents per source (complete once read)."""

    chars: dict[str, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)


def source_chars(shards: Sequence[Path]) -> dict[str, int]:
    """Characters of text per source over ``shards`` (reads two small columns)."""
    totals: dict[str, int] = {}
    for shard in shards:
        for batch in pq.ParquetFile(shard).iter_batches(_BATCH_ROWS, columns=["source", "chars"]):
            sources, chars = batch.column(0).to_pylist(), batch.column(1).to_pylist()
            for source, count in zip(sources, chars, strict=True):
                totals[source] = totals.get(source, 0) + count
    return totals


def shares(spec: SampleSpec, totals: Mapping[str, int]) -> dict[str, int]:
    """Each source's character budget: the spec's budget split by weight, a source's
    share capped at what it has, the leftover split again among the others."""
    unknown = sorted(set(spec.weights) - set(totals))
    if unknown:
        known = ", ".join(sorted(totals)) or "none"
        raise ConfigError(f"no source {', '.join(unknown)} in this version (sources: {known})")
    weights = {s: spec.weights.get(s, 1.0) for s in sorted(totals)}
    budget, open_ = spec.chars, {s for s, w in weights.items() if w > 0}
    given = {s: 0 for s in weights}
    while open_ and budget > 0:
        total_weight = sum(weights[s] for s in open_)
        offer = {s: int(budget * weights[s] / total_weight) for s in sorted(open_)}
        full = {s for s in open_ if totals[s] <= offer[s]}
        if not full:
            given.update(offer)
            break
        for s in full:
            given[s] = totals[s]
            budget -= totals[s]
        open_ -= full
    return given


def sample_texts(shards: Sequence[Path], spec: SampleSpec, sampled: Sampled) -> Iterator[str]:
    """The sample's texts, in shard order; ``sampled`` counts them as they go. A weight
    for a source the version lacks is a :class:`ConfigError` here, before any is read."""
    totals = source_chars(shards)
    budget = shares(spec, totals)
    odds = {s: budget[s] / totals[s] if totals[s] else 0.0 for s in totals}
    return _take(shards, spec.seed, odds, dict(budget), sampled)


def _take(
    shards: Sequence[Path],
    seed: int,
    odds: dict[str, float],
    left: dict[str, int],
    sampled: Sampled,
) -> Iterator[str]:
    for shard in shards:
        for batch in pq.ParquetFile(shard).iter_batches(
            _BATCH_ROWS, columns=["id", "text", "source"]
        ):
            rows = zip(*(batch.column(i).to_pylist() for i in range(3)), strict=True)
            for doc_id, text, source in rows:
                if left[source] <= 0 or _draw(seed, doc_id) >= odds[source]:
                    continue
                taken = text[: left[source]]
                left[source] -= len(taken)
                sampled.chars[source] = sampled.chars.get(source, 0) + len(taken)
                sampled.documents[source] = sampled.documents.get(source, 0) + 1
                yield taken


def _draw(seed: int, doc_id: str) -> float:
    """A uniform number in [0, 1) fixed by the seed and the document id."""
    digest = hashlib.blake2b(f"{seed}\x00{doc_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
