"""The in-memory seen-set: 8-byte digests of canonical URLs, not the strings.

A Python ``set`` of URL strings costs well over 100 bytes per URL; a million
URLs would take more memory than the crawl's other state together. Here each
canonical key becomes an 8-byte BLAKE2b digest kept in a sorted ``array('Q')``
(8 bytes per URL) plus a small buffer of recent digests, merged into the array
when it fills. Two different URLs share a digest with probability about
n²/2⁶⁵ (≈ 3·10⁻⁸ for a million): the cost would be one page not fetched.
The run state on disk (:mod:`crawler.state`) keeps the full keys.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from hashlib import blake2b

__all__ = ["DigestSet", "digest"]


def digest(key: str) -> int:
    """The 64-bit digest under which ``key`` is remembered."""
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


class DigestSet:
    """A set of strings remembered by 8-byte digest: ``add``, ``in``, ``len``."""

    def __init__(self, keys: Iterable[str] = (), buffer_size: int = 65_536) -> None:
        if buffer_size < 1:
            raise ValueError(f"buffer_size ({buffer_size!r}) must be >= 1")
        self._sorted = array("Q")
        self._recent: set[int] = set()
        self._buffer_size = buffer_size
        self.update(keys)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        value = digest(key)
        if value in self._recent:
            return True
        i = bisect_left(self._sorted, value)
        return i < len(self._sorted) and self._sorted[i] == value

    def __len__(self) -> int:
        return len(self._sorted) + len(self._recent)

    def add(self, key: str) -> None:
        if key in self:
            return
        self._recent.add(digest(key))
        if len(self._recent) >= self._buffer_size:
            self._merge()

    def update(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.add(key)

    @property
    def nbytes(self) -> int:
        """Bytes held by the digests (the array's buffer; the buffer set is bounded)."""
        return self._sorted.buffer_info()[1] * self._sorted.itemsize

    def _merge(self) -> None:
        merged = array("Q", heapq.merge(self._sorted, sorted(self._recent)))
        self._sorted, self._recent = merged, set()
