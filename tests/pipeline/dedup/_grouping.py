"""Helpers for the grouping tests: an executor that notes its calls, a planted corpus."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.dedup import Dedup, DedupConfig
from pipeline.dedup.plan import DedupPlan
from pipeline.document import Document
from pipeline.parallel import Executor
from tests.pipeline.dedup._fixtures import doc, edited, prose, work_files

__all__ = ["RecordingExecutor", "planted", "run_plan", "same_plan"]


@dataclass
class RecordingExecutor:
    """A real executor that also notes which function ran over which items."""

    inner: Executor
    calls: list[tuple[str, list[Any]]] = field(default_factory=list)

    @property
    def workers(self) -> int:
        return self.inner.workers

    @property
    def children(self) -> bool:
        return self.inner.children

    @property
    def starts_per_map(self) -> bool:
        return self.inner.starts_per_map

    def map(
        self,
        fn: Callable[[Any], Any],
        items: Sequence[Any],
        done: Callable[[Any], None] | None = None,
    ) -> list[Any]:
        self.calls.append((fn.__name__, list(items)))
        return self.inner.map(fn, items, done)

    def items(self, name: str) -> list[Any]:
        return [item for fn, items in self.calls if fn == name for item in items]


def planted() -> list[list[Document]]:
    """Four work files: originals, then near, exact, licensed and URL copies of them spread
    over the others, and documents that only look alike (band candidates below 0.8).

    Copies are ~0.87 Jaccard from their originals: LSH (14 x 8) misses such a pair once in
    ~2,500, where at 0.81 it misses one in 17 and some of 25 pairs would go unseen."""
    bases = [prose(300 + i, 150) for i in range(30)]
    return [
        [doc(f"o{i}", t) for i, t in enumerate(bases)],
        [doc(f"n{i}", edited(bases[i], 2, seed=i)) for i in range(10)]
        + [doc(f"x{i}", bases[i].upper()) for i in range(10, 15)],
        [doc(f"lic{i}", edited(bases[i], 2, seed=50 + i), source="acme") for i in range(5, 20)],
        [doc(f"far{i}", edited(bases[i], 8, seed=i)) for i in range(20, 30)]
        + [doc("url", prose(999, 150), url="http://x.test/o26")],
    ]


def run_plan(
    folder: Path, config: DedupConfig, executor: Executor | None = None
) -> tuple[DedupPlan, dict[str, int]]:
    step = Dedup(
        work_files(folder, planted()), scratch=folder / "scratch", config=config, executor=executor
    )
    list(step.tables())
    assert step.plan is not None
    return step.plan, step.stats.as_dict()


def same_plan(a: DedupPlan, b: DedupPlan) -> bool:
    arrays = ("survivor", "size", "earlier", "keep")
    return all(np.array_equal(getattr(a, n), getattr(b, n)) for n in arrays)
