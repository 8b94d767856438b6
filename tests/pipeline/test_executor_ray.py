"""``--executor ray``: the same shards as the local executor, resumable, optional.

Every test that starts Ray shares one local instance (two CPUs) per module. The
input is the demo's: a crawl of the example web plus the licensed sample, already
built once with the local executor (:mod:`tests.pipeline.audit.crawled`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.make_input import make_input
from gleaner.cli import cli
from gleaner.samples import LICENSED_SAMPLE_MANIFEST
from pipeline import BuildConfig
from pipeline.build import build
from pipeline.dedup import DedupConfig
from pipeline.dedup.grouping import key_columns
from pipeline.errors import ExecutorUnavailable
from pipeline.executor_ray import MISSING_EXTRA, RayExecutor
from tests.crawler.conftest import CRAWL_ENV
from tests.pipeline.audit.crawled import Crawled, crawl_and_build
from tests.pipeline.cluster import ray_instance
from tests.pipeline.dedup._grouping import RecordingExecutor, run_plan, same_plan

cluster = pytest.mark.cluster


@pytest.fixture(scope="module")
def ray_cpus() -> Iterator[RayExecutor]:
    yield from ray_instance()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    return crawl_and_build(tmp_path_factory.mktemp("crawled"))


def shard_bytes(version: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((version / "shards").glob("*.parquet"))}


def latest(dataset: Path) -> Path:
    return sorted(p for p in dataset.glob("v*") if p.is_dir())[-1]


def square_with_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


@cluster
def test_tasks_run_in_ray_workers_and_come_back_in_input_order(ray_cpus: RayExecutor) -> None:
    heard: list[tuple[int, int]] = []
    results = ray_cpus.map(square_with_pid, [3, 1, 2, 0], heard.append)
    assert [square for square, _ in results] == [9, 1, 4, 0]
    assert sorted(heard) == sorted(results)
    assert os.getpid() not in {pid for _, pid in results}


@cluster
def test_the_local_instance_listens_on_loopback_only(ray_cpus: RayExecutor) -> None:
    import ray

    nodes = ray.nodes()
    assert [n["NodeManagerAddress"] for n in nodes] == ["127.0.0.1"]
    assert ray_cpus.workers == 2


@cluster
def test_a_ray_build_writes_the_same_shards_as_the_local_executor(
    ray_cpus: RayExecutor, crawled: Crawled, tmp_path: Path
) -> None:
    config = BuildConfig(
        output=tmp_path / "ds",
        crawls=(crawled.run,),
        licensed=(LICENSED_SAMPLE_MANIFEST,),
        workers=2,
        executor="ray",
    )
    result = build(config)
    local = shard_bytes(latest(crawled.dataset))
    assert local and shard_bytes(result.version) == local
    assert result.stats["dedup"]["dropped"] > 0, "the licensed copy wins over a crawled one"


@cluster
def test_the_dedup_groups_each_key_column_in_a_ray_task(
    ray_cpus: RayExecutor, tmp_path: Path
) -> None:
    config = DedupConfig()
    here, _ = run_plan(tmp_path / "here", config)
    tasks = RecordingExecutor(ray_cpus)
    there, stats = run_plan(tmp_path / "ray", config, tasks)
    assert same_plan(there, here), "planted near-duplicates over four work files"
    columns = [job.columns for job in tasks.items("column_edges")]
    assert columns == [(c,) for c in key_columns(config)], "a task per key column"
    assert len(tasks.items("write_shingles")) == 4
    assert stats["grouped/band"] == config.minhash.bands


@cluster
def test_a_killed_ray_driver_resumes_without_redoing_finished_units(
    ray_cpus: RayExecutor, tmp_path: Path
) -> None:
    import ray

    warcs = make_input(tmp_path / "in", docs=200, files=4).directory
    local = build(_config(warcs, tmp_path / "local", executor="local"))
    # The killed driver joins this module's instance by address, as on a real cluster.
    log = tmp_path / "driver.log"
    with log.open("wb") as stderr:
        driver = subprocess.Popen(
            [
                *(sys.executable, "-m", "gleaner.cli", "build", "--warc", str(warcs)),
                *("--output", str(tmp_path / "ds"), "--third-party-training", "allow"),
                *("--executor", "ray", "--ray-address", ray.get_runtime_context().gcs_address),
            ],
            env={**os.environ, "PYTHONPATH": CRAWL_ENV["PYTHONPATH"]},  # with Ray's, set now
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        finished = _first_markers(tmp_path / "ds", driver)
        driver.send_signal(signal.SIGKILL)
        driver.wait()
    assert finished, f"killed after a unit finished: {log.read_text()[-2000:]}"
    before = {p.name: p.stat().st_mtime_ns for p in finished}
    assert len(before) < 4, "and before every unit had"
    resumed = build(_config(warcs, tmp_path / "ds", resume=True))
    after = {name: (resumed.version / "completions" / name).stat().st_mtime_ns for name in before}
    assert after == before, "a unit the killed build finished is not run again"
    assert shard_bytes(resumed.version) == shard_bytes(local.version)


@cluster
def test_a_private_instance_starts_even_when_another_ray_is_named_on_this_machine(
    tmp_path: Path,
) -> None:
    """Without --ray-address a build starts its own Ray, whatever cluster `ray start`
    began here (Ray would join the one RAY_ADDRESS or its session file names, and refuse
    the CPU count). RAY_ADDRESS names a loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        unused = s.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": CRAWL_ENV["PYTHONPATH"],
        "RAY_ADDRESS": f"127.0.0.1:{unused}",
    }
    done = subprocess.run(
        [
            *(sys.executable, "-m", "gleaner.cli", "build", "--licensed"),
            *(str(LICENSED_SAMPLE_MANIFEST), "--output", str(tmp_path / "ds")),
            *("--executor", "ray", "--workers", "1"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert list((tmp_path / "ds").glob("v*/shards/*.parquet"))


def _config(warcs: Path, output: Path, **extra: object) -> BuildConfig:
    settings: dict[str, object] = {"workers": 2, "executor": "ray", **extra}
    return BuildConfig(output=output, warcs=(warcs,), third_party_training="allow", **settings)  # type: ignore[arg-type]


def _first_markers(dataset: Path, driver: subprocess.Popen[bytes]) -> list[Path]:
    """The completion markers, as soon as there is one (bounded wait)."""
    for _ in range(2400):
        found = sorted(dataset.glob(".*/completions/*.json"))
        if found or driver.poll() is not None:
            return found
        time.sleep(0.05)
    return []


def test_without_the_cluster_extra_the_build_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as if not installed
    warcs = make_input(tmp_path / "in", docs=4, files=1).directory
    config = BuildConfig(output=tmp_path / "ds", warcs=(warcs,), executor="ray")
    with pytest.raises(ExecutorUnavailable, match=r"pip install 'gleaner\[cluster\]'"):
        build(config)
    args = ["build", "--warc", str(warcs), "--output", str(tmp_path / "ds"), "--executor", "ray"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {MISSING_EXTRA}"
    assert not (tmp_path / "ds").exists(), "nothing written"
