"""``--executor ray``: the build's parallel parts as Ray tasks, locally or on a cluster.

Each item becomes one task running the same top-level function the local pool
would (one CPU each), so a Ray build writes the same work files and shards as a
local one. With no address a private Ray instance starts for the build, sized
to ``workers`` CPUs, and stops with it; with an address the build joins that
cluster as a driver, whose workers must see the build's paths (a shared file
system) and have Gleaner installed.

A private instance is kept to this machine and quiet: every Ray service listens
on loopback only (Ray's own switch for single-machine use, read when ``ray`` is
first imported), no dashboard, no usage statistics, no runtime environment to
download, Ray's log lines off the terminal. Its workers import the code this
process runs, so a checkout on ``PYTHONPATH`` is not shadowed by an installed copy.

Ray is the ``cluster`` extra; it is imported here only, when a build asks for it.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pipeline.errors import ExecutorUnavailable

__all__ = ["MISSING_EXTRA", "RayExecutor", "import_ray", "ray_executor"]

MISSING_EXTRA = "--executor ray needs the cluster extra: pip install 'gleaner[cluster]'"
T = TypeVar("T")
R = TypeVar("R")

#: Set before ``ray`` is first imported, for a private instance only.
_LOCAL_ENV = {
    "RAY_USAGE_STATS_ENABLED": "0",
    # Ray's switch for a one-machine instance: node address and every service on loopback.
    "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0",
}
#: Where this process's ``pipeline`` package lives, for the workers' import path.
_CODE_ROOT = str(Path(__file__).resolve().parent.parent)


def import_ray(local: bool) -> Any:
    """The ``ray`` module, or :class:`ExecutorUnavailable` when the extra is missing."""
    if local and "ray" not in sys.modules:
        for key, value in _LOCAL_ENV.items():
            os.environ.setdefault(key, value)
    try:
        import ray
    except ImportError:
        raise ExecutorUnavailable(MISSING_EXTRA) from None
    return ray


@dataclass(frozen=True)
class RayExecutor:
    """Tasks on the Ray cluster this process is connected to (see :func:`ray_executor`)."""

    workers: int
    children: bool = False  # Ray's workers are the raylet's children, maybe on other hosts
    starts_per_map: bool = False  # the cluster's workers are up already

    def map(
        self, fn: Callable[[T], R], items: Sequence[T], done: Callable[[R], None] | None = None
    ) -> list[R]:
        ray = import_ray(local=False)
        task = ray.remote(num_cpus=1, max_retries=0)(_apply)  # a unit is redone by --resume
        shared = ray.put(fn)  # once, not once per task: it may carry the build's config
        refs = [task.remote(shared, item) for item in items]
        order = {ref: i for i, ref in enumerate(refs)}
        results: dict[int, R] = {}
        pending = list(refs)
        try:
            while pending:
                ready, pending = ray.wait(pending, num_returns=1)
                result = ray.get(ready[0])  # a task's exception is raised here, as its type
                results[order[ready[0]]] = result
                if done is not None:
                    done(result)
        except BaseException:
            for ref in pending:
                ray.cancel(ref, force=True)
            raise
        return [results[i] for i in range(len(refs))]


def _apply(fn: Callable[[T], R], item: T) -> R:
    """The task: Ray takes plain functions only, so ``fn`` (a partial, say) is an argument."""
    return fn(item)


@contextmanager
def ray_executor(address: str, workers: int) -> Iterator[RayExecutor]:
    """Connected to the cluster at ``address``, or to a private instance of ``workers``
    CPUs; disconnected (the private instance stopped) when the block ends."""
    ray = import_ray(local=_on_loopback(address))
    if ray.is_initialized():  # a caller (a test, a notebook) already connected: use it
        yield RayExecutor(workers)
        return
    try:
        if address:
            ray.init(address=address, **_QUIET)
        else:
            path = os.pathsep.join(filter(None, [_CODE_ROOT, os.environ.get("PYTHONPATH")]))
            ray.init(
                # "local": a new instance even when a cluster `ray start` began on this
                # machine is up (Ray would join it, and refuse the CPU count).
                address="local",
                num_cpus=workers,
                include_dashboard=False,
                runtime_env={"env_vars": {"PYTHONPATH": path}},
                **_QUIET,
            )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address!r}" if address else "a local Ray instance"
        raise ExecutorUnavailable(f"cannot start or reach {where}: {exc}") from None
    try:
        cpus = int(ray.cluster_resources().get("CPU", workers))
        _warm(ray, cpus)
        yield RayExecutor(cpus)
    finally:
        ray.shutdown()


def _warm(ray: Any, cpus: int) -> None:
    """Start a worker per CPU now, importing what a unit runs, without waiting: a job's
    workers start with its first tasks (~2-3 s), which then overlaps the build's stage 0."""
    task = ray.remote(num_cpus=1, max_retries=0)(_import_stage_one)
    for _ in range(cpus):
        task.remote()


def _import_stage_one() -> None:
    import pipeline.executor  # noqa: F401  (stage 1's code: flow, readers, dedup keys)


def _on_loopback(address: str) -> bool:
    """A private instance, or one on this machine's loopback (which only a driver with the
    same switch reaches: Ray would otherwise turn 127.0.0.1 into the machine's address)."""
    host = address.removeprefix("ray://").rpartition(":")[0].strip("[]")
    return not address or host in ("127.0.0.1", "localhost", "::1")


_QUIET: dict[str, Any] = {
    "logging_level": logging.ERROR,
    "log_to_driver": False,
    "configure_logging": True,
}
