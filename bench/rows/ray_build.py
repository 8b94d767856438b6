"""Rows "build on Ray": ``gleaner build --executor ray`` against the local executor, 2 CPUs.

The same generated WARCs, the same ``gleaner build`` command and 2 workers; only
``--executor`` differs. Rates are input pages per wall-clock second of the command. Both
executors must give byte-identical shards (``detail.same_shards``).

1. On a running Ray instance of 2 CPUs (``ray start --head``, started by the row before
   the clock and stopped after, as a user's cluster is up before a build), reached with
   ``--ray-address``: the goal is within 15% of the local executor, since it is the same
   work on the same cores.
2. On a private instance the command starts and stops itself (no ``--ray-address``): the
   same build plus Ray's own start and stop (~10 s here), shown against the same local
   figure, without a goal.

Not run in smoke mode, where Ray's start-up alone would outlast the whole build.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bench._measure import count_parquet_rows, gleaner_command, tail, timed_run
from bench.results import Result, Side, Unavailable, fastest

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from bench.context import BenchContext

__all__ = ["ray_build_rows"]

_WORKERS = 2


def ray_build_rows(ctx: BenchContext) -> Iterator[Result]:
    running = f"build on a running Ray instance vs local executor, {_WORKERS} CPUs"
    private = f"build on a private Ray instance (start, stop timed) vs local, {_WORKERS} CPUs"
    skipped = _skipped(ctx)
    if skipped is not None:
        yield Result(running, skipped, _SKIP)
        yield Result(private, skipped, _SKIP)
        return
    local = [_build(ctx, "local", []) for _ in range(ctx.repeat)]
    with _ray_head(ctx.work_dir / "ray-head") as address:
        to_head = ["--ray-address", address]
        on_running = [_build(ctx, "ray-running", to_head, _AUTH) for _ in range(ctx.repeat)]
    on_private = [_build(ctx, "ray", []) for _ in range(ctx.repeat)]
    theirs = fastest(local)
    yield Result(running, _compared(fastest(on_running), theirs), theirs)
    yield Result(private, _compared(fastest(on_private), theirs), theirs)


def _skipped(ctx: BenchContext) -> Unavailable | None:
    if ctx.smoke:
        return Unavailable("skipped: smoke mode (Ray starts in ~10 s)")
    if importlib.util.find_spec("ray") is None:
        return Unavailable("skipped: ray not installed (pip install 'gleaner[cluster]')")
    return None


# Recent Ray starts clusters with token authentication; a driver on the same machine finds
# the token ``ray start`` wrote in the user's Ray folder when told to use tokens.
_AUTH = {"RAY_AUTH_MODE": "token"}


@contextmanager
def _ray_head(folder: Path) -> Iterator[str]:
    """A Ray head node of ``_WORKERS`` CPUs on a free loopback port, as ``ray start`` makes
    one (``--block``: it lives as long as this process holds it); stopped after."""
    folder.mkdir(parents=True, exist_ok=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ray = str(Path(sys.executable).with_name("ray"))
    args = [ray, "start", "--head", "--block", "--port", str(port), "--num-cpus", str(_WORKERS)]
    args += ["--node-ip-address", "127.0.0.1", "--include-dashboard", "false"]
    args += ["--disable-usage-stats"]
    with (folder / "head.log").open("w") as log:
        head = subprocess.Popen(args, stdout=log, stderr=log, env={**os.environ, **_AUTH})
        try:
            _wait_for_port(port, head)
            yield f"127.0.0.1:{port}"
        finally:
            head.terminate()  # --block: stopping the command stops the node's processes
            head.wait(timeout=60)


def _wait_for_port(port: int, head: subprocess.Popen[bytes]) -> None:
    for _try in range(600):  # bounded: up to ~60 s for Ray to listen
        if head.poll() is not None:
            return  # it failed: the builds then report why
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)


_SKIP = Unavailable("skipped: see ours")


def _build(
    ctx: BenchContext, label: str, extra: Sequence[str], env: dict[str, str] | None = None
) -> Side | Unavailable:
    gleaner = gleaner_command()
    if gleaner is None:
        return Unavailable("no `gleaner` command in this environment")
    out = ctx.out_dir(f"ray-build-{label}")
    shutil.rmtree(out, ignore_errors=True)
    command = [*gleaner, "build", "--warc", str(ctx.input.directory), "--output", str(out)]
    command += ["--third-party-training", "allow", "--workers", str(_WORKERS)]
    command += ["--executor", "local" if label == "local" else "ray", *extra]
    run = timed_run(command, ctx.log(f"ray-build-{label}"), env=env)
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
