"""Grouping as tasks: one per key column (and per work file, and per band or bands of few
candidates, to confirm), the same plan as grouping in the driver's process, whatever order
the edges are unioned in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline._parent import bound_pool
from pipeline.dedup import DedupConfig, UnionFind
from pipeline.dedup.grouping import CONFIRM_TASK_PAIRS, Edges, _packed, key_columns
from pipeline.parallel import LocalExecutor
from tests.pipeline.dedup._grouping import RecordingExecutor, run_plan, same_plan


def counts(stats: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in stats.items() if k.startswith(("pairs/", "dropped", "grouped/"))}


@pytest.mark.parametrize(
    ("confirm", "workers", "inline"),
    [
        pytest.param("exact", 2, 1 << 20, id="exact-in-worker-processes"),
        pytest.param("exact", 1, 0, id="exact-spilled-to-files"),
        pytest.param("signature", 1, 1 << 20, id="signature"),
        pytest.param("none", 1, 0, id="none-spilled"),
    ],
)
def test_grouping_tasks_give_the_plan_grouping_in_process_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, confirm: str, workers: int, inline: int
) -> None:
    config = DedupConfig(confirm=confirm)
    here, here_stats = run_plan(tmp_path / "here", config)
    monkeypatch.setattr("pipeline.dedup.step._GROUP_PARALLEL_FROM", 0)
    monkeypatch.setattr("pipeline.dedup.grouping.INLINE_PAIRS", inline)
    tasks = RecordingExecutor(LocalExecutor(workers))
    split, split_stats = run_plan(tmp_path / "tasks", config, tasks)
    assert same_plan(split, here)
    assert counts(split_stats) == counts(here_stats)
    jobs = tasks.items("column_edges")
    assert [job.columns for job in jobs] == [(c,) for c in key_columns(config)], "one task each"
    assert split_stats["grouped/band"] == config.minhash.bands
    if confirm == "exact":
        assert here_stats["dropped"] == 10 + 5 + 15 + 1, "near, exact, licensed and URL copies"
        assert here_stats["pairs/band/confirmed"] < here_stats["pairs/band/candidates"]
        assert len(tasks.items("write_shingles")) == 4, "every work file held a candidate"
        confirmed = [e.column for job in tasks.items("confirm_edges") for e in job.candidates]
        assert confirmed == [c for c in key_columns(config) if c.startswith("band_")]
        assert len(tasks.items("confirm_edges")) == 1, "bands of few candidates share a task"
    if not inline:
        assert sorted(p.name for p in (tmp_path / "tasks/scratch/groups").glob("*-band_*.npy"))


def test_small_builds_group_in_this_process(tmp_path: Path) -> None:
    tasks = RecordingExecutor(LocalExecutor(2))
    _, stats = run_plan(tmp_path, DedupConfig(), tasks)
    assert tasks.calls == [], "no worker started: keys and grouping ran here"
    assert stats["grouped/band"] == 14


def test_a_build_whose_workers_are_up_keys_on_them_and_still_groups_here(tmp_path: Path) -> None:
    """Keying is worth a map when no worker has to start for it; grouping a small build
    stays in this process either way (DuckDB on every core), and the plan is the same."""
    here, _ = run_plan(tmp_path / "here", DedupConfig())
    with bound_pool(2) as pool:
        tasks = RecordingExecutor(LocalExecutor(2, pool=pool))
        pooled, stats = run_plan(tmp_path / "pooled", DedupConfig(), tasks)
    assert [fn for fn, _ in tasks.calls] == ["write_keys"]
    assert len(tasks.items("write_keys")) == 4, "one job per work file"
    assert same_plan(pooled, here)
    assert stats["grouped/band"] == 14


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=60),
    st.randoms(use_true_random=False),
    st.integers(1, 8),
)
def test_union_order_and_batching_do_not_matter(
    edges: list[tuple[int, int]], rng: Any, batch: int
) -> None:
    """Tasks finish in any order: the roots depend on the set of edges alone."""
    pairs = np.array(edges, dtype=np.int64).reshape(-1, 2)
    forward = UnionFind(30)
    forward.union(pairs[:, 0], pairs[:, 1])
    shuffled = edges[:]
    rng.shuffle(shuffled)
    other = np.array(shuffled, dtype=np.int64).reshape(-1, 2)[:, ::-1]  # reversed edges too
    chunked = UnionFind(30)
    for start in range(0, len(other), batch):
        chunked.union(other[start : start + batch, 0], other[start : start + batch, 1])
    assert np.array_equal(forward.roots(), chunked.roots())


@pytest.mark.parametrize(
    ("counts", "tasks"),
    [
        ([], []),
        ([5, 5, 5], [[5, 5, 5]]),  # few candidates: one task
        ([CONFIRM_TASK_PAIRS, 5, 5], [[CONFIRM_TASK_PAIRS], [5, 5]]),
        ([5, CONFIRM_TASK_PAIRS, 5], [[5, CONFIRM_TASK_PAIRS], [5]]),
        ([CONFIRM_TASK_PAIRS] * 2, [[CONFIRM_TASK_PAIRS]] * 2),  # a task each
    ],
)
def test_bands_of_few_candidates_share_a_confirming_task(
    counts: list[int], tasks: list[list[int]]
) -> None:
    bands = [Edges(f"band_{i:02d}", n, n) for i, n in enumerate(counts)]
    assert [[b.count for b in part] for part in _packed(bands)] == tasks
