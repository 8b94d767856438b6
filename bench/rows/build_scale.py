"""Rows "build at scale": a licensed corpus of ~3 KB documents, filters off, against the goals.

Issue 15's goals for one machine: the whole build with every filter off at >= 3,000
documents/s on 2 cores at 100,000 documents, and 1,000,000 documents within 2 GiB peak
memory of the whole process tree. The corpus is ``bench._licensed_corpus`` (JSONL, 1 %
exact and 2 % near copies, so dedup does its whole job), built with ``gleaner build`` on
2 workers and timed from the outside, start-up included. There is no anchor: the
"theirs" side is the goal itself, so the ratio is above 1 when the goal is met.

A full run measures 100,000 documents (smoke: 2,000); ``--large`` adds the curve of time
and memory at 100,000, 300,000 and 1,000,000 documents (the corpora are generated once
and kept under the work folder: ~3 GB for the largest).
"""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING

from bench._licensed_corpus import ensure_licensed_corpus
from bench._measure import gleaner_command, tail, timed_run
from bench.results import Result, Side, Unavailable, fastest

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from bench.context import BenchContext

__all__ = ["build_scale_rows"]

WORKERS = 2  # the goals are stated on 2 cores
GOAL_RATE = 3_000.0  # documents/s at 100,000 documents
GOAL_PEAK_MIB = 2_048  # at 1,000,000 documents
FULL = (100_000,)
SMOKE = (2_000,)
LARGE = (100_000, 300_000, 1_000_000)
_MIB = 2**20
_FILTERS_OFF = "\n".join(
    f"[{table}]\nenabled = false"
    for table in (
        "quality",
        *(f"filters.{name}" for name in ("language", "repetition", "c4", "fineweb", "pii")),
    )
)


def build_scale_rows(ctx: BenchContext) -> Iterator[Result]:
    """Docs/s per corpus size against the rate goal; at 1M docs, peak memory against its goal."""
    sizes = SMOKE if ctx.smoke else LARGE if ctx.large else FULL
    for docs in sizes:
        side = fastest([_build(ctx, docs) for _ in range(ctx.repeat)])
        peak = f", peak {side.detail['peak_mib']:,.0f} MiB" if isinstance(side, Side) else ""
        goal = Side(GOAL_RATE, 0.0, docs, docs, {"goal": "docs/s on 2 cores"})
        yield Result(f"build {docs:,} licensed docs, filters off{peak}", side, goal)
        if docs == 1_000_000:
            yield _memory_row(side, docs)


def _memory_row(side: Side | Unavailable, docs: int) -> Result:
    """Thousands of documents per GiB of peak memory; the goal is 1M docs in 2 GiB."""
    goal = Side(docs / 1000 / (GOAL_PEAK_MIB / 1024), 0.0, docs, docs, {"goal": "2 GiB peak"})
    if isinstance(side, Side) and side.detail["peak_mib"] > 0:
        per_gib = docs / 1000 / (side.detail["peak_mib"] / 1024)
        ours: Side | Unavailable = Side(per_gib, side.seconds, docs, side.docs_out, side.detail)
    else:
        ours = side if isinstance(side, Unavailable) else Unavailable("peak memory not measured")
    return Result(f"build {docs:,} docs, peak memory", ours, goal, unit="k docs/GiB")


def _build(ctx: BenchContext, docs: int) -> Side | Unavailable:
    gleaner = gleaner_command()
    if gleaner is None:
        return Unavailable("no `gleaner` command in this environment")
    corpus = ensure_licensed_corpus(
        ctx.work_dir / f"licensed-{docs // 1000}k", docs, ctx.input.seed
    )
    out = ctx.out_dir(f"build-scale-{docs // 1000}k")
    shutil.rmtree(out, ignore_errors=True)
    config = _config(out, corpus.manifest)
    run = timed_run(
        [*gleaner, "build", str(config)], ctx.log(f"build-scale-{docs // 1000}k"), memory=True
    )
    if run.returncode != 0:
        return Unavailable(f"gleaner build failed (exit {run.returncode}): {tail(run.log)}")
    manifest = json.loads(next(out.glob("dataset/*/manifest.json")).read_text())
    stats = manifest.get("stats", {})
    return Side(
        rate=docs / run.seconds,
        seconds=round(run.seconds, 3),
        docs_in=docs,
        docs_out=sum(int(s["rows"]) for s in manifest.get("shards", [])),
        detail={"peak_mib": round(run.peak_bytes / _MIB, 1),
                "time_ms": {step: s.get("time_ms") for step, s in stats.items()}},
    )  # fmt: skip


def _config(out: Path, manifest: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "build.toml"
    path.write_text(
        f"output = {json.dumps(str(out / 'dataset'))}\nworkers = {WORKERS}\n\n"
        f"[inputs]\nlicensed = [{json.dumps(str(manifest))}]\n\n{_FILTERS_OFF}\n"
    )
    return path
