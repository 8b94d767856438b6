"""Rows "real build ...": the build row on real pages, and where each build spends its time.

The input is the real-page WARCs (``bench.real_input``: the labelled set's 199 pages of six
real sites, 34 in smoke mode). The build comparison is exactly the synthetic ``build``
row (``bench.rows.build``: same commands, same datatrove configuration, same wall-clock timing)
on these files.

The share rows read each side's own step clocks from the fastest one-worker run: ours the
``time_ms`` every stage-one step records in the build manifest's stats, theirs datatrove's
``time_stats`` per step. Steps are grouped so both sides line up: ``read`` (WARC reader),
``extract`` (trafilatura, with our sandbox's pipe), ``filters`` (Gopher, C4, FineWeb; ours also
PII), ``language`` (ours only) and ``other`` (ours: consent gate; theirs: Parquet writer). A
share is that group's percentage of the summed step time, so start-up, dedup and our Parquet
writing are outside it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from bench.debian_pages import PagesUnavailable
from bench.real_input import ensure_real_input
from bench.results import Result, Side, Unavailable
from bench.rows.build import build_sides

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bench.context import BenchContext

__all__ = ["GROUPS", "real_build_rows", "step_shares"]

GROUPS = ("read", "extract", "filters", "language", "other")
_OURS = {"read_warc": "read", "extract": "extract", "language": "language", "consent": "other"}
_THEIRS = {"READER": "read", "EXTRAC": "extract", "FILTER": "filters", "WRITER": "other"}


def _our_group(step: str) -> str:
    return _OURS.get(step, "filters")


def _their_group(step: str) -> str:
    return _THEIRS.get(step.split(":")[0], "other")


def step_shares(side: Side | Unavailable, ours: bool) -> dict[str, float] | None:
    """Per-group percentage of summed step time, from a build side's own stats; None if none."""
    if isinstance(side, Unavailable):
        return None
    totals = dict.fromkeys(GROUPS, 0.0)
    if ours:
        stats: dict[str, Any] = side.detail.get("stats", {})
        for step, counts in stats.items():
            totals[_our_group(step)] += counts.get("time_ms", 0) / 1000
    else:
        for step, counts in side.detail.get("steps", {}).items():
            totals[_their_group(step)] += counts.get("seconds", 0.0)
    whole = sum(totals.values())
    return {group: 100 * seconds / whole for group, seconds in totals.items()} if whole else None


def _share_side(side: Side | Unavailable, ours: bool, group: str) -> Side | Unavailable:
    shares = step_shares(side, ours)
    if isinstance(side, Unavailable):
        return side
    if shares is None:
        return Unavailable("no step timings in the build's stats")
    if not ours and group == "language":
        return Unavailable("the anchor slice has no language step")
    return Side(round(shares[group], 1), side.seconds, side.docs_in, side.docs_out)


def real_build_rows(ctx: BenchContext) -> Iterator[Result]:
    """Build docs/s against datatrove per worker count, then step-time shares (one worker)."""
    try:
        real = dataclasses.replace(ctx, input=ensure_real_input(ctx.work_dir, ctx.smoke))
    except PagesUnavailable as exc:
        skipped = Unavailable(f"skipped: {exc}")
        yield Result("real build", skipped, skipped)
        return
    first: tuple[Side | Unavailable, Side | Unavailable] | None = None
    for workers in ctx.workers:
        ours, theirs = build_sides(real, workers, label="real-build")
        first = first or (ours, theirs)
        plural = "" if workers == 1 else "s"
        yield Result(f"real build, {workers} worker{plural}", ours, theirs)
    if first is not None:
        for group in GROUPS:
            mine, other = _share_side(first[0], True, group), _share_side(first[1], False, group)
            yield Result(f"real build share: {group}", mine, other, unit="%")
