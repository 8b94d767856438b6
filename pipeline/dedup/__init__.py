"""Deduplication: exact (normalised text), URL and MinHash near-duplicates; licensed wins.

The stage runs over the per-input work files in dedup priority order and
against the index of every earlier version of the dataset. See
:mod:`pipeline.dedup.step` for the flow and :mod:`pipeline.minhash` for the hashing.
"""

from __future__ import annotations

from pipeline.dedup.cluster import UnionFind
from pipeline.dedup.config import PREFERENCES, DedupConfig, dedup_config_from
from pipeline.dedup.step import Dedup

#: The name stage 2 used before near-duplicates; exact dedup is part of :class:`Dedup`.
ExactDedup = Dedup

__all__ = ["PREFERENCES", "Dedup", "DedupConfig", "ExactDedup", "UnionFind", "dedup_config_from"]
