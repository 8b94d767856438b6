"""Run an iterator one step ahead of its consumer, in a thread.

Stage 2 reads the work files and filters them (Arrow and Parquet code that releases
the GIL) while the shard writer encodes and compresses (which releases it too): with
the reading in a thread, both cores work instead of one waiting on the other. Items
come out in order; the producer's exception comes out where the item would have; a
consumer that stops early stops the producer at its next item.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterator
from typing import TypeVar

__all__ = ["read_ahead"]

T = TypeVar("T")

_POLL = 0.1  # seconds: how often a blocked producer looks whether the consumer left


class _End:
    """What the producer puts last: the iterator's end, or the exception that ended it."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


def read_ahead(items: Iterator[T], depth: int = 1) -> Generator[T, None, None]:
    """Yield ``items`` in order while a thread computes up to ``depth`` more."""
    ready: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
    gone = threading.Event()

    def offer(item: T | _End) -> bool:
        while not gone.is_set():
            try:
                ready.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
        except BaseException as exc:
            offer(_End(exc))
            return
        offer(_End())

    worker = threading.Thread(target=produce, name="read-ahead", daemon=True)
    worker.start()
    try:
        while not isinstance(item := ready.get(), _End):
            yield item
        if item.error is not None:
            raise item.error
    finally:
        gone.set()
