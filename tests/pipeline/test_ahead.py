from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline._ahead import read_ahead


@given(st.lists(st.integers()), st.integers(min_value=1, max_value=4))
def test_items_come_out_in_order(items: list[int], depth: int) -> None:
    assert list(read_ahead(iter(items), depth)) == items


def _failing_after(count: int) -> Iterator[int]:
    yield from range(count)
    raise ValueError("broken input")


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_producers_error_comes_out_after_the_items_before_it(count: int) -> None:
    seen: list[int] = []
    with pytest.raises(ValueError, match="broken input"):
        for item in read_ahead(_failing_after(count)):
            seen.append(item)
    assert seen == list(range(count))


def test_a_consumer_that_stops_early_stops_the_producer() -> None:
    pulled: list[int] = []
    stopped = threading.Event()

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                pulled.append(n)
                yield n
                n += 1
        finally:
            stopped.set()

    ahead = read_ahead(endless(), depth=1)
    assert [next(ahead), next(ahead)] == [0, 1]
    ahead.close()
    # The producer is blocked offering its next item; it gives up within one poll.
    for thread in threading.enumerate():
        if thread.name == "read-ahead":
            thread.join(timeout=30)
            assert not thread.is_alive()
    assert len(pulled) <= 4  # two taken, at most one queued and one in hand
