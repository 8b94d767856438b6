"""Candidate checking: keep an LSH pair only if the signatures agree on enough hashes.

LSH with 14 x 8 bands also pairs documents well below the target similarity (a pair
at Jaccard 0.7 becomes a candidate more often than not). The share of equal MinHash
values estimates Jaccard without the texts, so a candidate is confirmed only when it
reaches ``DedupConfig.jaccard``. Signatures live in scratch ``.npy`` files, one per
work file, and are memory-mapped: pages load on demand, never the whole set at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = ["SignatureStore"]

I64 = npt.NDArray[np.int64]


class SignatureStore:
    """Read-only signatures of every document, addressed by global doc number."""

    def __init__(self, files: Sequence[Path]) -> None:
        self.parts = [np.load(f, mmap_mode="r") for f in files]
        sizes = [len(p) for p in self.parts]
        self.starts = np.cumsum([0, *sizes])

    def _rows(self, docs: I64) -> npt.NDArray[np.uint64]:
        part = np.searchsorted(self.starts, docs, side="right") - 1
        hashes = self.parts[0].shape[1] if self.parts else 0
        out = np.empty((len(docs), hashes), dtype=np.uint64)
        for p in np.unique(part):
            mask = part == p
            out[mask] = self.parts[int(p)][docs[mask] - self.starts[p]]
        return out

    def similarity(self, pairs: I64) -> npt.NDArray[np.float64]:
        """The share of equal MinHash values of each ``(a, b)`` row of ``pairs``."""
        left, right = self._rows(pairs[:, 0]), self._rows(pairs[:, 1])
        return np.asarray((left == right).mean(axis=1), dtype=np.float64)
