"""A deterministic, streaming sample of a version's text for tokenizer training.

A :class:`SampleSpec` says how much text (a character budget) and in what mixture (a
:class:`~pipeline.mixture.Mixture`: a weight per source, ``web`` and each licensed corpus
by name, and per language, ``lang:fr``; its seed says which documents). The budget is
shared among the version's (source, language) groups in proportion to
``mixture.weight(source, language)``; a group with less text than its share gives all it
has and the rest goes to the others. A document is taken when a hash of the seed and its
id falls under its group's share of that group's characters, so the sample is spread over
the whole version, not its first shards, and the same spec on the same version takes the
same documents. The last document a group takes is cut to fit, so no group exceeds its
share.

Shards are read in pyarrow batches of a few columns; the whole dataset is never held
in memory. :class:`Sampled` records the characters and documents actually taken per
source and per language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import ConfigError
from pipeline.mixture import Mixture, draw

__all__ = [
    "UNKNOWN_LANGUAGE",
    "Group",
    "SampleProgress",
    "SampleSpec",
    "Sampled",
    "Taken",
    "group_chars",
    "sample_texts",
    "shares",
]

_BATCH_ROWS = 512
#: How a document without a language is named in the card.
UNKNOWN_LANGUAGE = "unknown"

#: A (source, language) group of documents; language None when not identified.
Group = tuple[str, str | None]
#: Called after each batch read with the characters taken so far and the most the sample
#: can take; once more when the sample is read, with both the characters it took.
SampleProgress = Callable[[int, int], None]
_Key = TypeVar("_Key")


@dataclass(frozen=True)
class SampleSpec:
    """How much text and in what mixture: ``chars`` in all, weighed by ``mixture``."""

    chars: int
    mixture: Mixture = field(default_factory=Mixture)

    def __post_init__(self) -> None:
        if self.chars <= 0:
            raise ConfigError(f"sample characters ({self.chars!r}) must be > 0")


@dataclass
class Taken:
    """Characters and documents taken."""

    chars: int = 0
    documents: int = 0


@dataclass
class Sampled:
    """What a sample took per source and per language (complete once read)."""

    by_source: dict[str, Taken] = field(default_factory=dict)
    by_language: dict[str, Taken] = field(default_factory=dict)

    def add(self, source: str, language: str | None, chars: int) -> None:
        """Count one document of ``chars`` characters."""
        for tally, name in ((self.by_source, source), (self.by_language, _named(language))):
            taken = tally.setdefault(name, Taken())
            taken.chars += chars
            taken.documents += 1

    @property
    def chars(self) -> int:
        """Characters taken in all."""
        return sum(taken.chars for taken in self.by_source.values())

    def to_json(self) -> dict[str, dict[str, dict[str, int]]]:
        """``{"by_source": {name: {"chars", "documents"}}, "by_language": {...}}``."""
        return {
            kind: {name: {"chars": t.chars, "documents": t.documents} for name, t in tally}
            for kind, tally in (
                ("by_source", sorted(self.by_source.items(), key=lambda item: item[0])),
                ("by_language", sorted(self.by_language.items(), key=lambda item: item[0])),
            )
        }


def group_chars(shards: Sequence[Path]) -> dict[Group, int]:
    """Characters of text per (source, language) over ``shards`` (three small columns)."""
    totals: dict[Group, int] = {}
    for batch in _batches(shards, ["source", "language", "chars"]):
        rows = zip(*(batch.column(i).to_pylist() for i in range(3)), strict=True)
        for source, language, count in rows:
            totals[source, language] = totals.get((source, language), 0) + count
    return totals


def shares(
    chars: int, weights: Mapping[_Key, float], totals: Mapping[_Key, int]
) -> dict[_Key, int]:
    """Each group's character budget: ``chars`` split by weight, a group's share capped
    at what it has, the leftover split again among the others."""
    budget, open_ = chars, {key for key in totals if weights[key] > 0}
    given = dict.fromkeys(totals, 0)
    while open_ and budget > 0:
        ordered = sorted(open_, key=repr)
        total_weight = sum(weights[key] for key in ordered)
        offer = {key: int(budget * weights[key] / total_weight) for key in ordered}
        full = {key for key in ordered if totals[key] <= offer[key]}
        if not full:
            given.update(offer)
            break
        for key in full:
            given[key] = totals[key]
            budget -= totals[key]
        open_ -= full
    return given


def sample_texts(
    shards: Sequence[Path],
    spec: SampleSpec,
    sampled: Sampled,
    progress: SampleProgress | None = None,
) -> Iterator[str]:
    """The sample's texts, in shard order; ``sampled`` counts them as they go. A weight
    for a source or language the version lacks is a :class:`ConfigError` here, before
    any text is read."""
    totals = group_chars(shards)
    mixture = spec.mixture
    mixture.check_known({s for s, _ in totals}, {lang for _, lang in totals})
    weights = {group: mixture.weight(*group) for group in totals}
    budget = shares(spec.chars, weights, totals)
    odds = {g: budget[g] / totals[g] if totals[g] else 0.0 for g in totals}
    return _take(shards, _Draw(mixture.seed, odds, budget), sampled, progress)


@dataclass
class _Draw:
    """Which documents a sample takes: a document of a group with characters left is
    taken when its draw falls under the group's odds."""

    seed: int
    odds: dict[Group, float]
    left: dict[Group, int]

    @property
    def total(self) -> int:
        return sum(self.left.values())

    def take(self, doc_id: str, text: str, group: Group) -> str | None:
        if self.left[group] <= 0 or draw(self.seed, doc_id) >= self.odds[group]:
            return None
        taken = text[: self.left[group]]
        self.left[group] -= len(taken)
        return taken


def _take(
    shards: Sequence[Path], chooser: _Draw, sampled: Sampled, progress: SampleProgress | None
) -> Iterator[str]:
    total = chooser.total
    for batch in _batches(shards, ["id", "text", "source", "language"]):
        rows = zip(*(batch.column(i).to_pylist() for i in range(4)), strict=True)
        for doc_id, text, source, language in rows:
            taken = chooser.take(doc_id, text, (source, language))
            if taken is not None:
                sampled.add(source, language, len(taken))
                yield taken
        if progress is not None:
            progress(sampled.chars, total)
        if chooser.total == 0:
            break  # every group has its share: the remaining shards can't add to it
    if progress is not None:
        progress(sampled.chars, sampled.chars)


def _batches(shards: Sequence[Path], columns: list[str]) -> Iterator[pa.RecordBatch]:
    for shard in shards:
        yield from pq.ParquetFile(shard).iter_batches(_BATCH_ROWS, columns=columns)


def _named(language: str | None) -> str:
    return UNKNOWN_LANGUAGE if language is None else language
