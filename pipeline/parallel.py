"""Where a build's parallel work runs: an :class:`Executor` maps a function over items.

The build hands every parallel part (stage-1 units, the dedup step's keys) to one
executor, chosen by the build's ``executor`` setting: :class:`LocalExecutor` here,
``RayExecutor`` in :mod:`pipeline.executor_ray`. The function is a picklable top-level
one and results come back in input order, so which executor ran the work never shows
in what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass
from typing import Protocol, TypeVar

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
        """True when each :meth:`map` starts its workers as children of this process: a
        start costs about a second, and a worker knows its build died when its parent did."""
        ...

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], done: Callable[[R], None] | None = None
    ) -> list[R]:
        """``fn`` over ``items``, results in input order; ``done`` hears each as it ends."""
        ...


@dataclass(frozen=True)
class LocalExecutor:
    """This process for one worker or one item, else a pool that dies with the build."""

    workers: int = 1
    children: bool = True

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], done: Callable[[R], None] | None = None
    ) -> list[R]:
        if self.workers == 1 or len(items) <= 1:
            return [_heard(fn(item), done) for item in items]
        results: dict[int, R] = {}
        with bound_pool(min(self.workers, len(items))) as pool:
            futures = {pool.submit(fn, item): i for i, item in enumerate(items)}
            for future in as_completed(futures):
                results[futures[future]] = _heard(future.result(), done)
        return [results[i] for i in range(len(items))]


def _heard(result: R, done: Callable[[R], None] | None) -> R:
    if done is not None:
        done(result)
    return result
