"""datatrove 0.10's MinHash dedup, run INSIDE the anchor venv (bench/.anchor-venv).

Reads a JSONL file of ``{"id", "text"}`` documents and runs, in this one process with one
task, FineWeb's configuration (5-grams, 14 buckets x 8 hashes, 64-bit hashes):

    stage 1  MinhashDedupSignature   (timed on its own: the signatures docs/s figure)
    stage 2  MinhashDedupBuckets     (one task per bucket)
    stage 3  MinhashDedupCluster     (save_cluster_id=True)

Prints one JSON line: {"docs", "signature_seconds", "clusters": [[doc index, ...], ...]}.
This file must not import ``bench``: it runs in an interpreter without Gleaner.

    .anchor-venv/bin/python bench/anchors/datatrove_minhash.py --input docs.jsonl --work W
"""

from __future__ import annotations

import argparse
import json
import shutil
import struct
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _config() -> Any:
    from datatrove.pipeline.dedup.minhash import MinhashConfig
    from datatrove.utils.hashing import HashConfig

    return MinhashConfig(
        n_grams=5, num_buckets=14, hashes_per_bucket=8, hash_config=HashConfig(precision=64)
    )


def _documents(path: Path) -> list[Any]:
    from datatrove.data import Document

    with path.open() as lines:
        return [Document(text=row["text"], id=row["id"]) for row in map(json.loads, lines)]


def _drain(result: Any) -> None:
    # Steps may be generators; running them means exhausting them.
    if result is not None:
        for _ in result:
            pass


def run(input_path: Path, work: Path, stages: str) -> dict[str, Any]:
    from datatrove.pipeline.dedup.minhash import (
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupSignature,
    )

    shutil.rmtree(work, ignore_errors=True)
    config, docs = _config(), _documents(input_path)
    signature = MinhashDedupSignature(output_folder=str(work / "sigs"), config=config)
    started = time.perf_counter()
    _drain(signature.run(iter(docs), rank=0, world_size=1))
    report: dict[str, Any] = {"docs": len(docs), "signature_seconds": time.perf_counter() - started}
    if stages == "signature":
        return report
    buckets = MinhashDedupBuckets(str(work / "sigs"), str(work / "buckets"), config=config)
    for bucket in range(config.num_buckets):
        _drain(buckets.run(None, rank=bucket, world_size=config.num_buckets))
    cluster = MinhashDedupCluster(
        str(work / "buckets"), str(work / "clusters"), config=config, save_cluster_id=True
    )
    _drain(cluster.run(None, 0, world_size=1))
    report["clusters"] = _clusters(work / "clusters" / "000000.clusters")
    report["total_seconds"] = time.perf_counter() - started
    return report


def _clusters(path: Path) -> list[list[int]]:
    if not path.exists():
        return []
    data = path.read_bytes()
    members: dict[int, list[int]] = defaultdict(list)
    for doc, cluster in struct.iter_unpack("<II", data):
        members[cluster].append(doc)
    return [sorted(m) for m in members.values() if len(m) > 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--stages", choices=["signature", "all"], default="all")
    args = parser.parse_args()
    print(json.dumps(run(args.input, args.work, args.stages)), file=sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
