"""The local executor: any worker count gives the same results, in input order."""

from __future__ import annotations

import os
import time

import pytest

from pipeline.parallel import LocalExecutor


def slow_square(x: int) -> int:
    # Later items finish first in a pool, so completion order differs from input order.
    time.sleep(0.02 * (5 - x))
    return x * x


def pid_of(_: int) -> int:
    return os.getpid()


def fail_on_two(x: int) -> int:
    if x == 2:
        raise ValueError("two")
    return x


@pytest.mark.parametrize(
    ("workers", "items"),
    [(1, [3, 1, 4]), (2, [3, 1, 4, 0, 2]), (4, [1]), (2, [])],
    ids=["one_worker", "a_pool", "one_item", "no_item"],
)
def test_results_come_back_in_input_order_and_each_is_heard(workers: int, items: list[int]) -> None:
    heard: list[int] = []
    results = LocalExecutor(workers).map(slow_square, items, heard.append)
    assert results == [x * x for x in items]
    assert sorted(heard) == sorted(results)


@pytest.mark.parametrize(("workers", "in_process"), [(1, True), (2, False)])
def test_one_worker_runs_in_this_process_and_more_in_a_pool(workers: int, in_process: bool) -> None:
    pids = LocalExecutor(workers).map(pid_of, [0, 1])
    assert (set(pids) == {os.getpid()}) is in_process


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_item_raises_its_own_error(workers: int) -> None:
    with pytest.raises(ValueError, match="two"):
        LocalExecutor(workers).map(fail_on_two, [1, 2, 3])
