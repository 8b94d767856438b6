"""``build``: inputs in, a new dataset version out (see :mod:`pipeline.flow`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import BuildConfig
from pipeline.dataset import DatasetVersion
from pipeline.dedup import Dedup
from pipeline.errors import InputError
from pipeline.executor import run_units
from pipeline.flow import Unit, UnitResult
from pipeline.index import INDEX_FILE, earlier_indexes
from pipeline.licensed import load_manifest, validate_corpus
from pipeline.readers import warc_files
from pipeline.resume import start_or_resume
from pipeline.schema import STATS_SCHEMA
from pipeline.shards import ParquetShardWriter, ShardInfo, file_sha256
from pipeline.stats import merge_stats

__all__ = ["BuildResult", "build"]

log = logging.getLogger(__name__)

DUPLICATES_FILE = "duplicates.parquet"


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the version folder, its shards and its counters."""

    version: Path
    shards: list[ShardInfo]
    stats: dict[str, dict[str, int]]
    excluded: list[dict[str, str]]

    @property
    def documents(self) -> int:
        return sum(s.rows for s in self.shards)


def build(config: BuildConfig, progress: Callable[[str], None] | None = None) -> BuildResult:
    """Run the whole build and commit a new immutable dataset version."""
    say = progress or (lambda _msg: None)
    units, excluded = plan_units(config)
    version = start_or_resume(config, units)
    work = version.staging / "work"
    say(f"stage 1: {len(units)} inputs with {config.workers} worker(s)")
    results = run_units(units, config, work, lambda r: say(f"  input {r.index:05d} done"))
    say("stage 2: deduplicating and writing shards")
    dedup = _dedup(config, version, results)
    shards = ParquetShardWriter(
        version.staging / "shards", max_rows=config.max_rows_per_shard
    ).write(dedup())
    index_bytes = dedup.write_index(version.staging / INDEX_FILE)
    stats = merge_stats([r.stats for r in results] + [{dedup.name: dedup.stats.as_dict()}])
    _write_stats(version.staging / "stats", stats)
    manifest = _manifest(config, version, units, excluded, shards, stats)
    manifest["dedup"] = {"index": INDEX_FILE, "index_bytes": index_bytes}
    manifest["dedup"]["duplicates"] = DUPLICATES_FILE
    final = version.commit(manifest)
    return BuildResult(final, shards, stats, excluded)


def _dedup(config: BuildConfig, version: DatasetVersion, results: list[UnitResult]) -> Dedup:
    """Stage 2's dedup over the work files, against every earlier version's index."""
    settings = config.dedup
    earlier = earlier_indexes(config.output, version.name, settings.minhash, settings.near)
    return Dedup(
        [r.work_file for r in results],
        scratch=version.staging / "work" / "dedup",
        version=version.name,
        config=settings,
        earlier=earlier if settings.against_earlier_versions else [],
        workers=config.workers,
        duplicates=version.staging / DUPLICATES_FILE,
    )


def plan_units(config: BuildConfig) -> tuple[list[Unit], list[dict[str, str]]]:
    """Stage-1 units in dedup priority order: licensed, our crawls, third-party WARCs."""
    units: list[Unit] = []
    excluded: list[dict[str, str]] = []
    for manifest in config.licensed:
        corpus = load_manifest(manifest)
        reason = corpus.exclusion_reason(config.build_date)
        if reason:
            log.warning("%s: corpus left out of the build: %s", manifest, reason)
            excluded.append({"input": str(manifest), "reason": reason})
        else:
            if corpus.on_error == "raise":  # before anything is written
                validate_corpus(corpus)
            units.append(Unit(len(units), "licensed", manifest))
    for run in config.crawls:
        decisions = tuple(sorted((run / "decisions").glob("*.parquet")))
        for warc in _files(run / "warc", "crawl run"):
            units.append(Unit(len(units), "crawl", warc, decisions))
    for path in config.warcs:
        for warc in _files(path, "WARC input"):
            units.append(Unit(len(units), "warc", warc))
    return units, excluded


def _files(path: Path, what: str) -> list[Path]:
    if not path.exists():
        raise InputError(f"{path}: {what} not found")
    found = warc_files(path)
    if not found:
        raise InputError(f"{path}: {what} holds no WARC, ARC or WET files")
    return found


def _write_stats(folder: Path, stats: dict[str, dict[str, int]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {"step": step, "counter": counter, "value": value}
        for step, counts in stats.items()
        for counter, value in counts.items()
    ]
    pq.write_table(pa.Table.from_pylist(rows, schema=STATS_SCHEMA), folder / "stats.parquet")


def _manifest(
    config: BuildConfig,
    version: DatasetVersion,
    units: list[Unit],
    excluded: list[dict[str, str]],
    shards: list[ShardInfo],
    stats: dict[str, dict[str, int]],
) -> dict[str, Any]:
    return {
        "version": version.name,
        "parent": version.parent,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": config.to_json(),
        "inputs": [_input(u) for u in units],
        "excluded_inputs": excluded,
        "crawl_runs": [str(run.resolve()) for run in config.crawls],
        "shards": [
            {"path": f"shards/{s.path}", "rows": s.rows, "sha256": s.sha256, "bytes": s.bytes}
            for s in shards
        ],
        "documents": sum(s.rows for s in shards),
        "stats": stats,
    }


def _input(unit: Unit) -> dict[str, Any]:
    return {
        "kind": unit.kind,
        "path": str(unit.path.resolve()),
        "sha256": file_sha256(unit.path),
        "bytes": unit.path.stat().st_size,
    }
