"""Run a token output's units: one at a time or several at once in threads, resumably.

The output is made in a staging folder beside it, ``OUT.partial``, holding ``plan.json``
(see :mod:`pipeline.tokens.plan`). A finished unit leaves its part and then a completion
marker, ``done/00042.json`` (written last, atomically), so a run killed or stopped with
Ctrl-C keeps every unit it finished: ``--resume`` skips them when the plan is the same
and refuses a different plan. When every unit is done the parts are assembled and the
staging folder is renamed into place, so ``OUT`` is never half-written.

Workers are threads, not processes: ``tokenizers`` encodes a batch in Rust without the
interpreter lock (on its own thread pool, which fills the cores), and so does pyarrow's
reading, so threads overlap one unit's reading and bookkeeping with another's encoding
without paying a process start (a spawned process imports the whole CLI again: seconds per
worker, more than a small output takes to tokenize). Ctrl-C sets a stop flag that every
unit checks between batches, so the run stops within a batch and keeps what it finished.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.progress import BuildProgress, SilentProgress
from pipeline.tokens.encode import encode_unit
from pipeline.tokens.parts import ROWS_FILE, part_folder
from pipeline.tokens.plan import TokenSettings, Unit

__all__ = [
    "DONE_DIR",
    "PLAN_FILE",
    "commit",
    "drop_scratch",
    "finish_commit",
    "open_staging",
    "run_units",
    "staging_for",
]

PLAN_FILE = "plan.json"
DONE_DIR = "done"
Marker = dict[str, Any]
#: Reuses one unit from an earlier output: writes its part, returns its counts.
Reuse = Callable[[Unit, Path], dict[str, dict[str, int]]]


def staging_for(out: Path) -> Path:
    return out.with_name(out.name + ".partial")


def open_staging(out: Path, plan: dict[str, Any], resume: bool) -> Path:
    """A fresh staging folder for ``plan``, or with ``resume`` the unfinished one of it."""
    staging = staging_for(out)
    if resume:
        saved = staging / PLAN_FILE
        if not saved.is_file():
            raise ConfigError(f"{out}: nothing to resume (no {staging.name}); run without --resume")
        if json.loads(saved.read_text(encoding="utf-8")) != plan:
            raise ConfigError(
                f"{staging}: cannot resume: the version, tokenizer or options differ from the "
                "unfinished run; run without --resume to start again"
            )
        return staging
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / PLAN_FILE).write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
    return staging


def run_units(
    staging: Path,
    units: Sequence[Unit],
    settings: TokenSettings,
    *,
    reuse: dict[int, Reuse] | None = None,
    workers: int = 1,
    progress: BuildProgress | None = None,
) -> list[Marker]:
    """Every unit's marker, in unit order; units without one are reused or tokenized."""
    progress = progress or SilentProgress()
    reuse = reuse or {}
    (staging / DONE_DIR).mkdir(exist_ok=True)
    markers = {u.index: m for u in units if (m := load_marker(staging, u)) is not None}
    progress.stage("tokenize", len(units), "shards")
    progress.advance(len(markers), sum(_documents(m) for m in markers.values()))
    for unit in units:
        if unit.index not in markers and unit.index in reuse:
            markers[unit.index] = _mark(staging, unit, "reused", reuse[unit.index])
            progress.advance(1, _documents(markers[unit.index]))
    todo = [u for u in units if u.index not in markers]
    for marker in _tokenize(staging, todo, settings, workers):
        markers[marker["unit"]] = marker
        progress.advance(1, _documents(marker))
    progress.finish()
    return [markers[u.index] for u in units]


def _tokenize(
    staging: Path, units: Sequence[Unit], settings: TokenSettings, workers: int
) -> Iterator[Marker]:
    stop = threading.Event()
    if workers <= 1 or len(units) <= 1:
        for unit in units:
            yield tokenize_and_mark(staging, unit, settings, stop)
        return
    pool = ThreadPoolExecutor(min(workers, len(units)), thread_name_prefix="tokenize")
    futures = [pool.submit(tokenize_and_mark, staging, u, settings, stop) for u in units]
    try:
        for future in as_completed(futures):
            yield future.result()
    finally:  # Ctrl-C or a failed unit: the others stop at their next batch
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)


def tokenize_and_mark(
    staging: Path, unit: Unit, settings: TokenSettings, stop: threading.Event | None = None
) -> Marker:
    """Tokenize one unit into its part, then mark it done (``stop``: give up between batches)."""
    return _mark(staging, unit, "tokenized", lambda u, part: encode_unit(u, settings, part, stop))


def _mark(staging: Path, unit: Unit, origin: str, make: Reuse) -> Marker:
    started = time.perf_counter()
    part = part_folder(staging, unit.index)
    shutil.rmtree(part, ignore_errors=True)  # what a killed run left of this unit
    splits = make(unit, part)
    marker = {
        "unit": unit.index,
        "key": unit.key,
        "origin": origin,
        "splits": splits,
        "seconds": round(time.perf_counter() - started, 3),
    }
    path = _marker_path(staging, unit)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(marker, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return marker


def _marker_path(staging: Path, unit: Unit) -> Path:
    return staging / DONE_DIR / f"{unit.index:05d}.json"


def load_marker(staging: Path, unit: Unit) -> Marker | None:
    """The marker of a finished unit of this plan, or None when it must run."""
    try:
        marker: Marker = json.loads(_marker_path(staging, unit).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    done = (part_folder(staging, unit.index) / ROWS_FILE).is_file()
    return marker if done and marker.get("key") == unit.key else None


def _documents(marker: Marker) -> int:
    return sum(int(side["documents"]) for side in marker["splits"].values())


def drop_scratch(staging: Path) -> None:
    """Remove the parts, markers and plan once the final files are assembled."""
    for scratch in ("parts", DONE_DIR):
        shutil.rmtree(staging / scratch, ignore_errors=True)
    (staging / PLAN_FILE).unlink(missing_ok=True)


def commit(staging: Path, out: Path) -> None:
    """Move the finished output into place (replacing ``out``)."""
    if out.is_dir() and not any(out.iterdir()):
        out.rmdir()
    if not out.exists():
        staging.rename(out)
        return
    old = _replaced(out)
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def finish_commit(out: Path, finished: str) -> None:
    """Finish a :func:`commit` that was killed between its renames.

    ``out`` then stands aside as ``.OUT.old``; the staging folder holds the finished output
    when its ``finished`` file (the manifest, written last) is there: it goes into place,
    else the old output comes back. Either way ``OUT`` is whole again.
    """
    old = _replaced(out)
    if not old.exists():
        return
    staging = staging_for(out)
    if not out.exists():
        if (staging / finished).is_file():
            staging.rename(out)
        else:
            old.rename(out)
            return
    shutil.rmtree(old, ignore_errors=True)


def _replaced(out: Path) -> Path:
    return out.with_name(f".{out.name}.old")
