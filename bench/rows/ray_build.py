"""Row "build on Ray": ``gleaner build --executor ray`` against the local executor, 2 CPUs.

The same generated WARCs, the same ``gleaner build`` command and 2 workers; only
``--executor`` differs: a private Ray instance of 2 CPUs (started and stopped inside the
timed command) against the local process pool. Rates are input pages per wall-clock
second, start-up included. Both must give byte-identical shards (``detail.same_shards``).
The goal is within 15% of the local executor: it is the same work on the same cores.
Not run in smoke mode, where Ray's start-up alone would outlast the whole build.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from bench._measure import count_parquet_rows, gleaner_command, tail, timed_run
from bench.results import Result, Side, Unavailable, fastest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bench.context import BenchContext

__all__ = ["ray_build_rows"]

_WORKERS = 2


def ray_build_rows(ctx: BenchContext) -> Iterator[Result]:
    name = f"build on Ray vs local executor, {_WORKERS} CPUs"
    if ctx.smoke:
        yield Result(name, Unavailable("skipped: smoke mode (Ray starts in ~10 s)"), _SKIP)
        return
    if importlib.util.find_spec("ray") is None:
        missing = Unavailable("skipped: ray not installed (pip install 'gleaner[cluster]')")
        yield Result(name, missing, _SKIP)
        return
    ours, theirs = [], []
    for _ in range(ctx.repeat):
        theirs.append(_build(ctx, "local"))
        ours.append(_build(ctx, "ray"))
    yield Result(name, _compared(fastest(ours), fastest(theirs)), fastest(theirs))


_SKIP = Unavailable("skipped: see ours")


def _build(ctx: BenchContext, executor: str) -> Side | Unavailable:
    gleaner = gleaner_command()
    if gleaner is None:
        return Unavailable("no `gleaner` command in this environment")
    label = f"ray-build-{executor}"
    out = ctx.out_dir(label)
    shutil.rmtree(out, ignore_errors=True)
    command = [*gleaner, "build", "--warc", str(ctx.input.directory), "--output", str(out)]
    command += ["--third-party-training", "allow", "--workers", str(_WORKERS)]
    command += ["--executor", executor]
    run = timed_run(command, ctx.log(label))
    if run.returncode != 0:
        return Unavailable(f"gleaner build failed (exit {run.returncode}): {tail(run.log)}")
    shards = sorted(out.glob("*/shards/*.parquet"))
    return Side(
        rate=ctx.input.docs / run.seconds,
        seconds=round(run.seconds, 3),
        docs_in=ctx.input.docs,
        docs_out=count_parquet_rows(shards),
        detail={"shards_sha256": _digest(shards)},
    )


def _compared(ours: Side | Unavailable, theirs: Side | Unavailable) -> Side | Unavailable:
    """Ours, noting whether its shards are the local executor's bytes."""
    if isinstance(ours, Unavailable) or isinstance(theirs, Unavailable):
        return ours
    same = ours.detail["shards_sha256"] == theirs.detail["shards_sha256"]
    return Side(
        ours.rate, ours.seconds, ours.docs_in, ours.docs_out, {**ours.detail, "same_shards": same}
    )


def _digest(shards: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in shards:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
