"""Run stage-1 units locally: in this process, or one worker process per core.

Units are independent, so the executor only has to spread them; results come
back in unit order whatever order the workers finish in, which keeps builds
deterministic.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from pipeline.config import BuildConfig
from pipeline.flow import Unit, UnitResult, run_unit

__all__ = ["run_units"]

Progress = Callable[[UnitResult], None]


def run_units(
    units: Sequence[Unit], config: BuildConfig, work_dir: Path, progress: Progress | None = None
) -> list[UnitResult]:
    """Run every unit with ``config.workers`` processes; results in unit order."""
    work_dir.mkdir(parents=True, exist_ok=True)
    results: list[UnitResult] = []
    if config.workers == 1 or len(units) <= 1:
        for unit in units:
            results.append(run_unit(unit, config, work_dir))
            if progress:
                progress(results[-1])
        return results
    # spawn, not fork: the caller may run threads (the demo's web server).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(min(config.workers, len(units)), mp_context=context) as pool:
        futures = [pool.submit(run_unit, unit, config, work_dir) for unit in units]
        for future in as_completed(futures):
            results.append(future.result())
            if progress:
                progress(results[-1])
    return sorted(results, key=lambda r: r.index)
