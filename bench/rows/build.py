"""Row "build": WARC -> extraction -> quality filters -> Parquet, Gleaner against datatrove 0.10.

Both read the same WARC files. Ours is ``gleaner build --third-party-training allow``: the
generated WARCs carry no decision log, and ``allow`` makes Gleaner process every page as
datatrove does. Theirs is ``bench/anchors/datatrove_build.py`` in the anchor venv. Rates are
input pages per wall-clock second, start-up included, so both divide the same page count.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench._measure import count_parquet_rows, gleaner_command, tail, timed_run
from bench.results import Result, Side, Unavailable, fastest

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bench.context import BenchContext

__all__ = ["build_sides", "build_vs_datatrove"]

ANCHOR_SCRIPT = Path(__file__).resolve().parent.parent / "anchors" / "datatrove_build.py"
# Belt and braces: the slice needs no hub file, and this makes any attempt fail loudly.
_OFFLINE = {"HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def build_vs_datatrove(ctx: BenchContext) -> Iterator[Result]:
    """One result per worker count; theirs then ours on the same files, ``ctx.repeat`` times."""
    for workers in ctx.workers:
        ours, theirs = build_sides(ctx, workers)
        plural = "" if workers == 1 else "s"
        yield Result(f"build, {workers} worker{plural}", ours, theirs)


def build_sides(
    ctx: BenchContext, workers: int, label: str = "build"
) -> tuple[Side | Unavailable, Side | Unavailable]:
    """Ours and theirs on ``ctx.input``, best of ``ctx.repeat``; ``label`` names their folders."""
    theirs, ours = [], []
    for _ in range(ctx.repeat):
        theirs.append(_datatrove(ctx, workers, label))
        ours.append(_gleaner(ctx, workers, label))
    return fastest(ours), fastest(theirs)


def _datatrove(ctx: BenchContext, workers: int, label: str) -> Side | Unavailable:
    if isinstance(ctx.anchor, Unavailable):
        return ctx.anchor
    name = f"{label}-theirs-w{workers}"
    command = [str(ctx.anchor.python), str(ANCHOR_SCRIPT), "--input", str(ctx.input.directory)]
    command += ["--output", str(ctx.out_dir(name)), "--workers", str(workers)]
    run = timed_run(command, ctx.log(name), env=_OFFLINE)
    if run.returncode != 0:
        return Unavailable(f"datatrove failed (exit {run.returncode}): {tail(run.log)}")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    return Side(
        rate=ctx.input.docs / run.seconds,
        seconds=round(run.seconds, 3),
        docs_in=report["docs_in"],
        docs_out=report["docs_out"],
        detail={"pipeline_seconds": report["seconds"], "steps": report["steps"]},
    )


def _gleaner(ctx: BenchContext, workers: int, label: str) -> Side | Unavailable:
    gleaner = gleaner_command()
    if gleaner is None:
        return Unavailable("no `gleaner` command in this environment")
    name = f"{label}-ours-w{workers}"
    out = ctx.out_dir(name)
    shutil.rmtree(out, ignore_errors=True)
    command = [*gleaner, "build", "--warc", str(ctx.input.directory), "--output", str(out)]
    command += ["--third-party-training", "allow", "--workers", str(workers)]
    run = timed_run(command, ctx.log(name))
    if run.returncode != 0:
        return Unavailable(f"gleaner build failed (exit {run.returncode}): {tail(run.log)}")
    stats = _manifest_stats(out)
    return Side(
        rate=ctx.input.docs / run.seconds,
        seconds=round(run.seconds, 3),
        docs_in=_docs_read(stats, ctx.input.docs),
        docs_out=count_parquet_rows(sorted(out.glob("*/shards/*.parquet"))),
        detail={"stats": stats},
    )


def _manifest_stats(out: Path) -> dict[str, Any]:
    manifests = sorted(out.glob("*/manifest.json"))
    if not manifests:
        return {}
    stats = json.loads(manifests[-1].read_text()).get("stats", {})
    return stats if isinstance(stats, dict) else {}


def _docs_read(stats: dict[str, Any], fallback: int) -> int:
    reader = stats.get("read_warc", {})
    total = reader.get("total") if isinstance(reader, dict) else None
    return int(total) if isinstance(total, int) else fallback
