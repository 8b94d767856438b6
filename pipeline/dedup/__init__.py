"""Deduplication: exact (normalised text), URL and MinHash near-duplicates; licensed wins.

The stage runs over the per-input work files in dedup priority order and against the index
of every earlier version of the dataset. One module per part, in the order the step uses them:

- :mod:`~pipeline.dedup.config`: which keys make duplicates, and who survives a cluster;
- :mod:`~pipeline.dedup.minhash`: shingles, MinHash signatures and LSH band keys;
- :mod:`~pipeline.dedup.keys`: one keys file per work file (exact, URL and band hashes);
- :mod:`~pipeline.dedup.cluster`: candidate edges per key, joined by a union-find;
- :mod:`~pipeline.dedup.confirm_signatures`, :mod:`~pipeline.dedup.confirm_shingles`: a
  candidate pair is kept on its signatures' agreement, or on its exact shingle Jaccard;
- :mod:`~pipeline.dedup.version_index`: each version's persisted keys, matched by later builds;
- :mod:`~pipeline.dedup.plan`: the survivor of each cluster; :mod:`~pipeline.dedup.sink`:
  why every other member is dropped;
- :mod:`~pipeline.dedup.step`: the step that runs them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.dedup.cluster import UnionFind
    from pipeline.dedup.config import PREFERENCES, DedupConfig, dedup_config_from
    from pipeline.dedup.step import Dedup

    #: The name stage 2 used before near-duplicates; exact dedup is part of :class:`Dedup`.
    ExactDedup = Dedup

__all__ = ["PREFERENCES", "Dedup", "DedupConfig", "ExactDedup", "UnionFind", "dedup_config_from"]

# Imported on first use (PEP 562): a stage-1 worker needs the config and the MinHash
# parts, not the step's duckdb (about a second of start-up per worker process).
_HOMES = {
    "UnionFind": ("pipeline.dedup.cluster", "UnionFind"),
    "PREFERENCES": ("pipeline.dedup.config", "PREFERENCES"),
    "DedupConfig": ("pipeline.dedup.config", "DedupConfig"),
    "dedup_config_from": ("pipeline.dedup.config", "dedup_config_from"),
    "Dedup": ("pipeline.dedup.step", "Dedup"),
    "ExactDedup": ("pipeline.dedup.step", "Dedup"),
}


def __getattr__(name: str) -> Any:
    """Import a public name from its home module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pipeline.dedup' has no attribute {name!r}")
    value = getattr(importlib.import_module(home[0]), home[1])
    globals()[name] = value
    return value
