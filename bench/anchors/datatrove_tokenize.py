"""datatrove 0.10's DocumentTokenizer over Gleaner's shards, run INSIDE the anchor venv.

ParquetReader(text and id columns only) -> DocumentTokenizer(tokenizer.json, eos_token
"<|endoftext|>", no shuffling) on a LocalPipelineExecutor with ``tasks = workers = N``. The
tokenizer is a local ``tokenizer.json``: datatrove's ``load_tokenizer`` takes a path that is a
file as ``Tokenizer.from_file`` and never asks the hub. Everything else is datatrove's default,
including ``encode_batch`` over batches of 10,000 documents. Shuffling is off because Gleaner
writes the documents in order once; with it on, datatrove copies every file a second time.

Prints one JSON line on stdout: {"docs_in", "tokens", "seconds", "files"}. Everything else
(datatrove's own logging) goes to stderr. This file must not import ``bench``: it runs in a
different interpreter that has neither Gleaner nor the harness installed.

    .anchor-venv/bin/python bench/anchors/datatrove_tokenize.py --tokenizer tokenizer.json \\
        --output OUT --workers 2 SHARD.parquet ...
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["main"]

EOS = "<|endoftext|>"


def build_executor(shards: list[Path], tokenizer: Path, output: Path, workers: int) -> Any:
    # Imported here so that ``--help`` works without datatrove.
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.tokens import DocumentTokenizer

    root = Path(os.path.commonpath([shard.parent for shard in shards]))
    paths = output / "paths.txt"
    paths.write_text("".join(f"{shard.relative_to(root)}\n" for shard in shards))
    pipeline = [
        ParquetReader(str(root), paths_file=str(paths), read_metadata=False),
        DocumentTokenizer(
            output_folder=str(output / "tokens"),
            tokenizer_name_or_path=str(tokenizer),
            eos_token=EOS,
            shuffle_documents=False,
        ),
    ]
    # skip_completed=False: every benchmark run does the whole job, never resumes a previous one.
    return LocalPipelineExecutor(
        pipeline,
        tasks=workers,
        workers=workers,
        logging_dir=str(output / "logs"),
        skip_completed=False,
    )


def step_totals(logs_dir: Path) -> dict[str, int]:
    """Documents read and tokens written, from datatrove's merged ``stats.json``."""
    totals = {"docs_in": 0, "tokens": 0}
    for step in json.loads((logs_dir / "stats.json").read_text()):
        stats = step["stats"]
        if "READER" in step["name"]:
            totals["docs_in"] += int(_as_number(stats.get("documents", 0)))
        if "TOKENIZER" in step["name"]:
            totals["tokens"] += int(_as_number(stats.get("tokens", 0)))
    return totals


def _as_number(value: Any) -> Any:
    # datatrove stores counters as plain ints and some stats as {"total": ..., ...}.
    return value.get("total", value) if isinstance(value, dict) else value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shards", type=Path, nargs="+", help="Parquet shards, in order")
    parser.add_argument("--tokenizer", type=Path, required=True, help="a tokenizer.json")
    parser.add_argument("--output", type=Path, required=True, help="folder to (re)create")
    parser.add_argument("--workers", type=int, default=2, help="tasks and processes (default 2)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    shutil.rmtree(args.output, ignore_errors=True)
    args.output.mkdir(parents=True)
    shards = [shard.resolve() for shard in args.shards]
    executor = build_executor(shards, args.tokenizer.resolve(), args.output, args.workers)
    started = time.perf_counter()
    executor.run()
    seconds = time.perf_counter() - started
    files = sorted(path.name for path in (args.output / "tokens").iterdir())
    result = {**step_totals(args.output / "logs"), "seconds": round(seconds, 3), "files": files}
    print(json.dumps(result), file=sys.stdout, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
