"""The local executor: any worker count gives the same results, in input order."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from pipeline._parent import bound_pool
from pipeline.config import BuildConfig
from pipeline.executor import local_workers
from pipeline.parallel import LocalExecutor


def slow_square(x: int) -> int:
    # Later items finish first in a pool, so completion order differs from input order.
    time.sleep(0.02 * (5 - x))
    return x * x


def pid_of(_: int) -> int:
    return os.getpid()


_KEPT: list[object] = []


def resident_mib(_: int = 0) -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") >> 20


def churn(mib: int) -> int:
    """Allocate ~2 x ``mib`` MiB (malloc's heap and Arrow's pool) with small survivors in
    between, as a stage-1 unit does with its documents, free it all, return the RSS."""
    texts, arrays = [], []
    for _ in range(mib * 64):
        texts.append(os.urandom(16_000))
        _KEPT.append(os.urandom(600))
    for _ in range(mib * 16):
        arrays.append(pa.array(np.arange(8192)))
        _KEPT.append(pa.array(np.arange(16)))
    del texts, arrays
    return resident_mib()


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


def test_a_build_long_pool_serves_every_map_with_the_same_workers() -> None:
    """The build's workers start once: a later map (the dedup keys after stage 1) finds
    them up and imported, so it pays no second start."""
    with bound_pool(2) as pool:
        executor = LocalExecutor(2, pool=pool)
        assert not executor.starts_per_map
        first = set(executor.map(pid_of, list(range(8))))
        second = set(executor.map(pid_of, list(range(8))))
    assert first == second and os.getpid() not in first
    assert LocalExecutor(2).starts_per_map


@pytest.mark.parametrize(
    ("settings", "workers"),
    [({"workers": 2}, 2), ({"workers": 1}, None), ({"workers": 2, "executor": "ray"}, None)],
    ids=["local", "one_worker", "ray"],
)
def test_local_workers_start_for_a_local_build_of_several(
    tmp_path: Path, settings: dict[str, Any], workers: int | None
) -> None:
    config = BuildConfig(output=tmp_path / "ds", warcs=(tmp_path,), **settings)
    with local_workers(config) as local:
        if workers is None:
            assert local is None
            return
        assert local is not None and local.workers == workers
        assert local.pool is not None
        assert len(set(local.map(pid_of, list(range(6))))) <= workers


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
def test_a_pool_worker_gives_back_what_its_task_freed() -> None:
    """An idle worker holds what its largest task freed unless it hands it back: with the
    build's workers kept through stage 2, that would count in the build's peak."""
    with bound_pool(1) as pool:
        freed = pool.submit(churn, 200).result()
        assert pool.submit(resident_mib).result() > freed - 50, "a plain pool keeps it"
        executor = LocalExecutor(2, pool=pool)
        executor.map(resident_mib, [0, 0])  # the executor's tasks give back as they end
        after = executor.map(resident_mib, [0, 0])
    assert max(after) < freed - 150
