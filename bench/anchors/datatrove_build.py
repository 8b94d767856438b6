"""The datatrove 0.10 build slice, run INSIDE the anchor venv (bench/.anchor-venv).

WarcReader -> Trafilatura(favour_precision=True) -> GopherRepetitionFilter -> GopherQualityFilter
-> C4QualityFilter(filter_no_terminal_punct=False) -> FineWebQualityFilter -> ParquetWriter:
FineWeb's own configuration without its fastText language filter (a model download) and URL filter,
with datatrove's defaults for every other threshold, on a LocalPipelineExecutor.

Prints one JSON line on stdout: {"docs_in", "docs_out", "seconds", ...}. Everything else
(datatrove's own logging) goes to stderr. This file must not import ``bench``: it runs in a
different interpreter that has neither Gleaner nor the harness installed.

    .anchor-venv/bin/python bench/anchors/datatrove_build.py --input IN --output OUT --workers 1
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]


def build_executor(input_dir: Path, output_dir: Path, tasks: int, workers: int) -> Any:
    # Imported here so that ``--help`` works without datatrove.
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers import ParquetWriter

    pipeline = [
        WarcReader(str(input_dir), glob_pattern="*.warc.gz"),
        Trafilatura(favour_precision=True),
        GopherRepetitionFilter(),
        GopherQualityFilter(),
        C4QualityFilter(filter_no_terminal_punct=False),  # as FineWeb runs it
        FineWebQualityFilter(),
        ParquetWriter(str(output_dir / "data")),
    ]
    # skip_completed=False: every benchmark run does the whole job, never resumes a previous one.
    return LocalPipelineExecutor(
        pipeline,
        tasks=tasks,
        workers=workers,
        logging_dir=str(output_dir / "logs"),
        skip_completed=False,
    )


def count_rows(data_dir: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(path).metadata.num_rows for path in data_dir.glob("*.parquet"))


def step_counts(logs_dir: Path) -> dict[str, dict[str, Any]]:
    """Per-step counters from datatrove's merged ``stats.json`` (keyed by step name)."""
    stats = json.loads((logs_dir / "stats.json").read_text())
    counts: dict[str, dict[str, Any]] = {}
    for step in stats:
        wanted = ("total", "forwarded", "dropped", "documents")
        counts[_plain_name(step["name"])] = {
            key: _as_number(value) for key, value in step["stats"].items() if key in wanted
        }
        if "total" in step.get("time_stats", {}):  # seconds spent in the step, summed over tasks
            counts[_plain_name(step["name"])]["seconds"] = round(step["time_stats"]["total"], 3)
    return counts


def _plain_name(name: str) -> str:
    # "📖 - READER: 🕷 Warc" -> "READER: Warc": step names carry emoji that help no log reader.
    ascii_only = name.encode("ascii", "ignore").decode()
    return " ".join(ascii_only.replace(" - ", " ").split())


def _as_number(value: Any) -> Any:
    # datatrove stores counters as plain ints and timings/doc stats as {"total": ..., ...}.
    return value.get("total", value) if isinstance(value, dict) else value


def docs_read(counts: dict[str, dict[str, Any]]) -> int:
    reader = next(name for name in counts if name.startswith("READER"))
    return int(counts[reader].get("documents", 0))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, required=True, help="folder of *.warc.gz")
    parser.add_argument("--output", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--workers", type=int, default=1, help="parallel processes (default 1)")
    parser.add_argument("--tasks", type=int, default=0, help="tasks (default: = --workers)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    shutil.rmtree(args.output, ignore_errors=True)
    executor = build_executor(args.input, args.output, args.tasks or args.workers, args.workers)
    started = time.perf_counter()
    executor.run()
    seconds = time.perf_counter() - started
    counts = step_counts(args.output / "logs")
    result = {
        "docs_in": docs_read(counts),
        "docs_out": count_rows(args.output / "data"),
        "seconds": round(seconds, 3),
        "steps": counts,
    }
    print(json.dumps(result), file=sys.stdout, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
