"""A build that would hold no document says why and writes no version.

An empty version looks like success to whoever reads the dataset next, and it
becomes the parent of the next build. So when every input was left out (an
expired licence) or no document survived (nothing consented), the build stops
with the reason, unless the config asks for the empty version (``allow_empty``).
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.errors import EmptyBuild
from pipeline.flow import UnitResult
from pipeline.stats import merge_stats

__all__ = ["refuse_if_all_left_out", "refuse_if_nothing_kept"]

_HINT = "no version written (--allow-empty writes an empty one)"


def refuse_if_all_left_out(
    allow_empty: bool, units: Sequence[object], excluded: list[dict[str, str]]
) -> None:
    """Before anything is written: every input was left out of the build."""
    if units or allow_empty:
        return
    left = "; ".join(f"{e['input']}: {e['reason']}" for e in excluded)
    raise EmptyBuild(f"nothing to build: every input was left out ({left}); {_HINT}")


def refuse_if_nothing_kept(allow_empty: bool, staging: Path, results: Sequence[UnitResult]) -> None:
    """After stage 1: the inputs were read but every document was left out.

    Duplicates of an earlier version are not counted here: a rebuild that finds
    nothing new is an honest (empty) version. The staging folder goes, so no
    half-written version is left to resume.
    """
    if allow_empty or any(pq.ParquetFile(r.work_file).metadata.num_rows for r in results):
        return
    shutil.rmtree(staging, ignore_errors=True)
    stats = merge_stats([r.stats for r in results])
    raise EmptyBuild(
        f"nothing to build: every document was left out ({_top_reasons(stats)}); {_HINT}"
    )


def _top_reasons(stats: dict[str, dict[str, int]], shown: int = 3) -> str:
    """The drop reasons that removed most, ``step/reason: count``."""
    drops: Counter[str] = Counter()
    for step, counters in stats.items():
        for counter, value in counters.items():
            if counter.startswith("dropped/"):
                drops[f"{step}/{counter.removeprefix('dropped/')}"] += value
    if not drops:
        return "the inputs held no document"
    return ", ".join(f"{reason}: {n}" for reason, n in drops.most_common(shown))
