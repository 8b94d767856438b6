"""Where a build's parallel work runs: an :class:`Executor` maps a function over items.

The build hands every parallel part (stage-1 units, the dedup step's keys) to one
executor, chosen by the build's ``executor`` setting: :class:`LocalExecutor` here,
``RayExecutor`` in :mod:`pipeline.executor_ray`. The function is a picklable top-level
one and results come back in input order, so which executor ran the work never shows
in what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from pipeline._memory import give_back_memory
from pipeline._parent import bound_pool

__all__ = ["Executor", "LocalExecutor"]

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs a picklable top-level function over items, wherever its workers are."""

    @property
    def workers(self) -> int:
        """How many items run at once."""
        ...

    @property
    def children(self) -> bool:
        """True when the workers are children of this process: a worker knows its build
        died when its parent did, and the work stays on this machine."""
        ...

    @property
    def starts_per_map(self) -> bool:
        """True when each :meth:`map` starts its workers (about a second: imports)."""
        ...

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], done: Callable[[R], None] | None = None
    ) -> list[R]:
        """``fn`` over ``items``, results in input order; ``done`` hears each as it ends."""
        ...


@dataclass(frozen=True)
class LocalExecutor:
    """This process for one worker or one item, else worker processes that die with the
    build: ``pool``, started once for the whole build, or a pool for each map."""

    workers: int = 1
    children: bool = True
    pool: ProcessPoolExecutor | None = field(default=None, compare=False, repr=False)

    @property
    def starts_per_map(self) -> bool:
        return self.pool is None

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], done: Callable[[R], None] | None = None
    ) -> list[R]:
        if self.workers == 1 or len(items) <= 1:
            return [_heard(fn(item), done) for item in items]
        if self.pool is not None:
            return _map_on(self.pool, fn, items, done)
        with bound_pool(min(self.workers, len(items))) as pool:
            return _map_on(pool, fn, items, done)


def _map_on(
    pool: ProcessPoolExecutor,
    fn: Callable[[T], R],
    items: Sequence[T],
    done: Callable[[R], None] | None,
) -> list[R]:
    results: dict[int, R] = {}
    futures = {pool.submit(_then_give_back, fn, item): i for i, item in enumerate(items)}
    for future in as_completed(futures):
        results[futures[future]] = _heard(future.result(), done)
    return [results[i] for i in range(len(items))]


def _then_give_back(fn: Callable[[T], R], item: T) -> R:
    """``fn(item)`` in a pool worker, then its freed memory back to the system: a worker
    idles on what its largest task held (~300 MB for a stage-1 unit, ~160 MB after)
    through the rest of the build, beside the driver's stage 2."""
    try:
        return fn(item)
    finally:
        give_back_memory()


def _heard(result: R, done: Callable[[R], None] | None) -> R:
    if done is not None:
        done(result)
    return result
