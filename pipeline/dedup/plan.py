"""Who survives each duplicate cluster, and why every other member is dropped.

Everything here is one array entry per document (never per pair): the cluster
roots from the union-find, the survivor priority, and a matched earlier-version
document for those already in the dataset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.dedup.keys import keys_schema

__all__ = ["DedupPlan", "Ranking", "choose_survivors", "load_ranking"]

I64 = npt.NDArray[np.int64]
_RANK_COLUMNS = ["id", "licensed", "chars", "date", "quality", "text_hash", "url_hash"]
_LAST = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Ranking:
    """The per-document columns that rank survivors and name drop reasons."""

    ids: pa.Array
    licensed: npt.NDArray[np.bool_]
    chars: I64
    date: I64  # days since 1970; missing dates sort last either way
    quality: npt.NDArray[np.float64]
    text_hash: npt.NDArray[np.uint64]
    url_hash: npt.NDArray[np.uint64]  # 0 when the document has no URL


def load_ranking(keys: Sequence[Path]) -> Ranking:
    tables = [pq.read_table(k, columns=_RANK_COLUMNS) for k in keys]
    table = pa.concat_tables(tables) if tables else keys_schema(1).empty_table()

    def ints(name: str, fill: int) -> I64:
        return np.asarray(table.column(name).fill_null(fill).to_numpy(), dtype=np.int64)

    return Ranking(
        ids=table.column("id").combine_chunks(),  # one array: O(1) lookups by doc number
        licensed=np.asarray(table.column("licensed").to_numpy(), dtype=bool),
        chars=ints("chars", 0),
        date=ints("date", -(2**31)),
        quality=np.asarray(pc.fill_null(table.column("quality"), -1.0).to_numpy(), np.float64),
        text_hash=np.asarray(table.column("text_hash").to_numpy(), dtype=np.uint64),
        url_hash=np.asarray(table.column("url_hash").fill_null(0).to_numpy(), dtype=np.uint64),
    )


def _priority(ranking: Ranking, prefer: Sequence[str]) -> I64:
    """Each document's place in survivor order (0 = the first to survive)."""
    known_date = ranking.date > -(2**31)
    by = {
        "longer": -ranking.chars,
        "shorter": ranking.chars,
        "newer": np.where(known_date, -ranking.date, _LAST),
        "older": np.where(known_date, ranking.date, _LAST),
        "quality": -ranking.quality,
    }
    n = len(ranking.chars)
    keys = [(~ranking.licensed).astype(np.int64), *(by[p] for p in prefer)]
    order = np.lexsort((np.arange(n), *reversed(keys)))
    place = np.empty(n, dtype=np.int64)
    place[order] = np.arange(n)
    return place


@dataclass(frozen=True)
class DedupPlan:
    """Per document: kept or not, its cluster's survivor and size, and an earlier match."""

    survivor: I64
    size: I64
    earlier: I64  # index into ``earlier_refs`` of the matched earlier document, or -1
    earlier_refs: list[tuple[str, str]]  # (version, id)

    @cached_property  # read once per document by the step: computed once
    def keep(self) -> npt.NDArray[np.bool_]:
        own: npt.NDArray[np.bool_] = self.survivor == np.arange(len(self.survivor))
        return own & (self.earlier < 0)


def choose_survivors(
    roots: I64, ranking: Ranking, prefer: Sequence[str], earlier: I64, refs: list[tuple[str, str]]
) -> DedupPlan:
    """Pick each cluster's survivor; a cluster with any earlier match keeps no one."""
    place = _priority(ranking, prefer)
    best = np.full(len(roots), _LAST, dtype=np.int64)
    np.minimum.at(best, roots, place)
    order = np.argsort(place)
    survivor = order[best[roots]]
    size = np.bincount(roots, minlength=len(roots))[roots]
    # Earlier-version matches spread to the whole cluster (first match by doc number).
    cluster_match = np.full(len(roots), _LAST, dtype=np.int64)
    matched = earlier >= 0
    np.minimum.at(cluster_match, roots[matched], earlier[matched])
    spread = np.where(matched, earlier, cluster_match[roots])
    spread = np.where(spread == _LAST, -1, spread)
    return DedupPlan(survivor, size, spread, refs)
