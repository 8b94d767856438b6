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

from pipeline.dedup.cluster import UnionFind
from pipeline.dedup.config import PREFERENCES, DedupConfig, dedup_config_from
from pipeline.dedup.step import Dedup

#: The name stage 2 used before near-duplicates; exact dedup is part of :class:`Dedup`.
ExactDedup = Dedup

__all__ = ["PREFERENCES", "Dedup", "DedupConfig", "ExactDedup", "UnionFind", "dedup_config_from"]
