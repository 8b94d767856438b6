"""Run stage-1 units locally: in this process, or one worker process per core.

Units are independent and named by their index in the build plan, so the
split is deterministic. Each finished unit leaves its work file (written
atomically) and then a completion marker, ``completions/00042.json``, holding
its result and time; a resumed build skips units with a marker and redoes the
rest from scratch, so a killed build loses only the units it was running and
never duplicates one. Results come back in unit order whatever order the
workers finish in.

A marker also records every file the unit read (see :mod:`pipeline.fingerprint`):
a resumed build redoes a unit whose input changed, as ``make`` would, rather
than refusing, so ``--resume`` always ends with the dataset a fresh build of
the current inputs gives. Workers die with the build (see :mod:`pipeline._parent`)
and check their claim on the staging folder before they put anything in place.

Units run through an executor (:mod:`pipeline.parallel`): this machine's
processes (started once, while the build checks its inputs, and kept for every
parallel step of the build), or ``RayExecutor`` (Ray tasks, :mod:`pipeline.executor_ray`, imported
only when a build asks for it). Both run the same top-level functions on the same
items, so the work files, and so the shards, are the same bytes whichever ran them.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path

from pipeline._parent import bound_pool
from pipeline.config import BuildConfig
from pipeline.fingerprint import FileKey, changed_input, input_files
from pipeline.flow import Unit, UnitResult, run_unit
from pipeline.lease import StagingLease
from pipeline.parallel import Executor, LocalExecutor

__all__ = [
    "load_completion",
    "local_workers",
    "open_executor",
    "run_and_mark",
    "run_units",
]

log = logging.getLogger(__name__)

Progress = Callable[[UnitResult], None]


@contextmanager
def local_workers(config: BuildConfig) -> Iterator[LocalExecutor | None]:
    """The build's local worker processes, starting now and kept for every parallel step:
    their imports (~1-2 s each) overlap the reading of the inputs, and no later step starts
    a pool of its own. None when the build runs on Ray or in this process alone."""
    if config.executor == "ray" or config.workers <= 1:
        yield None
        return
    with bound_pool(config.workers) as pool:
        for _ in range(config.workers):
            pool.submit(_ready)  # one each: the pool starts a process per waiting task
        yield LocalExecutor(config.workers, pool=pool)


def _ready() -> None:
    """Nothing: the worker imported this module (all a unit needs) to run it."""


@contextmanager
def open_executor(config: BuildConfig, local: LocalExecutor | None = None) -> Iterator[Executor]:
    """The build's executor, up for the whole build (a Ray instance starts once);
    ``local`` is the build's :func:`local_workers`."""
    if config.executor != "ray":
        yield local or LocalExecutor(config.workers)
        return
    from pipeline.executor_ray import ray_executor  # only a Ray build needs the extra

    with ray_executor(config.ray_address, config.workers) as executor:
        yield executor


def run_units(
    units: Sequence[Unit],
    config: BuildConfig,
    work_dir: Path,
    progress: Progress | None = None,
    completions: Path | None = None,
    executor: Executor | None = None,
) -> list[UnitResult]:
    """Run every unit not yet complete on ``executor`` (default: ``config.workers``
    local processes); results in unit order."""
    done_dir = completions or work_dir.parent / "completions"
    work_dir.mkdir(parents=True, exist_ok=True)
    done_dir.mkdir(parents=True, exist_ok=True)
    runner = executor or LocalExecutor(config.workers)
    lease = StagingLease.claim(work_dir, watch_parent=runner.children)
    results = [r for u in units if (r := load_completion(done_dir, work_dir, u)) is not None]
    todo = [u for u in units if u.index not in {r.index for r in results}]
    for result in results:
        if progress:
            progress(result)
    task = partial(run_and_mark, config=config, work_dir=work_dir, done_dir=done_dir, lease=lease)
    results += runner.map(task, todo, progress)
    return sorted(results, key=lambda r: r.index)


def run_and_mark(
    unit: Unit,
    config: BuildConfig,
    work_dir: Path,
    done_dir: Path,
    lease: StagingLease | None = None,
) -> UnitResult:
    """Run one unit, then record its completion (after its work file is in place)."""
    started = time.perf_counter()
    inputs = tuple(FileKey.of(path) for path in input_files(unit))  # before reading them
    check = lease.check if lease else None
    result = run_unit(unit, config, work_dir, check)
    marker = {
        "index": unit.index,
        "input": str(unit.path),
        "inputs": [key.to_json() for key in inputs],
        "work_file": result.work_file.name,
        "seconds": round(time.perf_counter() - started, 3),
        "stats": result.stats,
    }
    path = done_dir / f"{unit.index:05d}.json"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(marker, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if check:
        check()
    os.replace(tmp, path)
    return replace(result, inputs=inputs)


def load_completion(done_dir: Path, work_dir: Path, unit: Unit) -> UnitResult | None:
    """The recorded result of a finished unit, or None if it must run (again)."""
    path = done_dir / f"{unit.index:05d}.json"
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    work_file = work_dir / marker["work_file"]
    if marker.get("input") != str(unit.path) or not work_file.is_file():
        return None
    inputs = tuple(FileKey.from_json(key) for key in marker.get("inputs") or ())
    if not inputs:  # a marker from before inputs were recorded: nothing to trust
        return None
    changed = changed_input(inputs, input_files(unit))
    if changed:
        log.warning("input %s changed since its unit finished: running it again", changed)
        return None
    return UnitResult(unit.index, work_file, marker["stats"], inputs)
