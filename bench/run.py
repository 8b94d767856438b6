"""``make bench``: Gleaner and its anchors side by side on the same generated input, one run.

    python -m bench.run                    # 2000 pages, 1 and 2 workers, needs the anchor venv
    python -m bench.run --smoke            # 50 pages, 1 worker; a missing anchor is reported
    python -m bench.run --docs 500 --workers 2
    python -m bench.run --no-anchor --large # also the build's time and memory at 100k-1M docs

Prints ours, theirs and ours/theirs per row and writes ``bench/.work/results.json``. Speed never
fails a run: the exit code is 1 only when Gleaner itself fails, or, outside smoke mode, when an
anchor cannot be measured (a full run without its anchor compares nothing).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.anchor_env import ANCHOR_VENV, AnchorEnv, AnchorUnavailable, ensure_anchor_env
from bench.context import BenchContext
from bench.make_input import ensure_input
from bench.report import print_table, write_results
from bench.results import Unavailable
from bench.rows import ROWS, Row

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bench.make_input import InputSet
    from bench.results import Result

__all__ = ["main", "run_rows"]

WORK_DIR = Path(__file__).resolve().parent / ".work"
FULL = {"docs": 2000, "files": 4, "workers": "1,2"}
SMOKE = {"docs": 50, "files": 2, "workers": "1"}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--smoke", action="store_true", help="tiny input, for CI (50 pages)")
    parser.add_argument("--docs", type=int, help="pages to generate (default 2000; smoke 50)")
    parser.add_argument("--files", type=int, help="WARC files to spread them over (default 4)")
    parser.add_argument("--workers", help="comma-separated worker counts (default 1,2; smoke 1)")
    parser.add_argument(
        "--large", action="store_true", help="also build 100k, 300k and 1M docs (slow; not CI)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per side; best is kept")
    parser.add_argument("--seed", type=int, default=0, help="input generator seed (default 0)")
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR, help="scratch folder")
    parser.add_argument("--no-anchor", action="store_true", help="measure Gleaner only")
    parser.add_argument("--anchor-venv", type=Path, default=ANCHOR_VENV, help="anchor venv")
    parser.add_argument(
        "--only", help=f"comma-separated rows to run (default all): {', '.join(row_names())}"
    )
    args = parser.parse_args(argv)
    args.only = _only(parser, args.only)
    defaults = SMOKE if args.smoke else FULL
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.workers = _worker_counts(parser, args.workers)
    if args.repeat < 1:
        parser.error(f"--repeat ({args.repeat!r}) must be >= 1")
    return args


def _worker_counts(parser: argparse.ArgumentParser, text: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in text.split(","))
    except ValueError:
        parser.error(f"--workers ({text!r}) must be comma-separated integers, e.g. 1,2")
    if not counts or min(counts) < 1:
        parser.error(f"--workers ({text!r}) must all be >= 1")
    return counts


def row_names() -> list[str]:
    """Each row by the name of its module in ``bench.rows`` (``build_scale``, ``robots``)."""
    return list(dict.fromkeys(_row_name(row) for row in ROWS))


def _row_name(row: Row) -> str:
    return row.__module__.rsplit(".", 1)[-1]


def _only(parser: argparse.ArgumentParser, text: str | None) -> frozenset[str]:
    if text is None:
        return frozenset(row_names())
    asked = {name.strip() for name in text.split(",") if name.strip()}
    unknown = sorted(asked - set(row_names()))
    if unknown or not asked:
        parser.error(f"--only ({text!r}): unknown row {', '.join(unknown) or '(none given)'}; "
                     f"rows are {', '.join(row_names())}")  # fmt: skip
    return frozenset(asked)


def _anchor(args: argparse.Namespace) -> AnchorEnv | Unavailable:
    if args.no_anchor:
        return Unavailable("anchor unavailable: skipped (--no-anchor)")
    try:
        return ensure_anchor_env(args.anchor_venv)
    except AnchorUnavailable as exc:
        return Unavailable(f"anchor unavailable: {exc}")


def run_rows(ctx: BenchContext, only: frozenset[str] | None = None) -> list[Result]:
    """Every registered row (or those named in ``only``), in order, on one shared context."""
    rows = [row for row in ROWS if only is None or _row_name(row) in only]
    return [result for row in rows for result in row(ctx)]


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _caption(made: InputSet, anchor: AnchorEnv | Unavailable) -> str:
    mean_kb = made.html_bytes / made.docs / 1024
    theirs = (
        ", ".join(f"{name} {version}" for name, version in anchor.versions.items())
        if isinstance(anchor, AnchorEnv)
        else "not measured"
    )
    return (
        f"input: {made.docs} pages ({mean_kb:.1f} KB mean) in {len(made.files)} WARC files, "
        f"seed {made.seed}\nours: gleaner {_version('gleaner')}, "
        f"trafilatura {_version('trafilatura')}, lxml {_version('lxml')}\ntheirs: {theirs}\n"
        "rate = input pages / wall seconds incl. start-up; ratio = ours/theirs, > 1: Gleaner faster"
    )


def _run_info(
    args: argparse.Namespace, made: InputSet, anchor: AnchorEnv | Unavailable
) -> dict[str, Any]:
    return {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "smoke" if args.smoke else "full",
        "repeat": args.repeat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "input": made.to_json(),
        "anchor": anchor.versions if isinstance(anchor, AnchorEnv) else {"reason": anchor.reason},
        "ours": {name: _version(name) for name in ("gleaner", "trafilatura", "lxml")},
    }


def _exit_code(results: Sequence[Result], require_anchor: bool) -> int:
    if any(isinstance(r.ours, Unavailable) and not r.ours.skipped for r in results):
        return 1
    if require_anchor and any(
        isinstance(r.theirs, Unavailable) and not r.theirs.skipped for r in results
    ):
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    require_anchor = not (args.smoke or args.no_anchor)
    anchor = _anchor(args)
    if isinstance(anchor, Unavailable) and require_anchor:
        print(f"Error: {anchor.reason}", file=sys.stderr)
        print("The full benchmark compares against it; see bench/README.md.", file=sys.stderr)
        return 1
    made = ensure_input(args.work_dir / "input", args.docs, args.files, args.seed)
    ctx = BenchContext(
        made, args.work_dir, args.workers, anchor, args.smoke, args.repeat, args.large
    )
    results = run_rows(ctx, args.only)
    print_table(results, _caption(made, anchor))
    write_results(args.work_dir / "results.json", results, _run_info(args, made, anchor))
    print(f"wall time {time.perf_counter() - started:.1f} s; {args.work_dir / 'results.json'}")
    return _exit_code(results, require_anchor)


if __name__ == "__main__":
    raise SystemExit(main())
