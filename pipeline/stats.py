"""Counters for pipeline steps: every drop has a reason, every reason a count."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

__all__ = ["StepStats", "merge_stats"]


class StepStats:
    """Path-like counters of one step: ``total``, ``kept``, ``dropped/<reason>``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.counts: Counter[str] = Counter()

    def seen(self) -> None:
        self.counts["total"] += 1

    def kept(self) -> None:
        self.counts["kept"] += 1

    def dropped(self, reason: str) -> None:
        self.counts["dropped"] += 1
        self.counts[f"dropped/{reason}"] += 1

    def add(self, counter: str, n: int = 1) -> None:
        self.counts[counter] += n

    def as_dict(self) -> dict[str, int]:
        return dict(sorted(self.counts.items()))


def merge_stats(parts: Iterable[Mapping[str, Mapping[str, int]]]) -> dict[str, dict[str, int]]:
    """Sum per-step counters from several workers into one mapping."""
    merged: dict[str, Counter[str]] = {}
    for part in parts:
        for step, counts in part.items():
            merged.setdefault(step, Counter()).update(counts)
    return {step: dict(sorted(c.items())) for step, c in merged.items()}
