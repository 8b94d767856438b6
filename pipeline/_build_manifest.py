"""The manifest of a version a build writes: a snapshot (format 2) of the whole dataset.

Its shard list is the parent's shards, carried over (``origin`` "reused"), then this
build's (``origin`` "added"); ``documents`` counts them all and ``delta`` says what
changed since the parent. ``crawl_runs`` are every run the dataset knows, so the
decision and robots logs of earlier builds stay queryable from the newest version.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipeline.config import BuildConfig
from pipeline.dataset import DatasetVersion
from pipeline.fingerprint import FileKey
from pipeline.flow import Unit, UnitResult
from pipeline.lineage import FORMAT, VersionView, crawl_runs
from pipeline.shards import ShardInfo

__all__ = ["build_manifest", "input_entry"]


def build_manifest(
    config: BuildConfig,
    version: DatasetVersion,
    parent: VersionView | None,
    carried: list[dict[str, Any]],
    shards: list[ShardInfo],
    stats: dict[str, dict[str, int]],
) -> dict[str, Any]:
    """Everything but the inputs, dedup and consent sections (the build adds those)."""
    added = [_added(s, version.name) for s in shards]
    entries = [*carried, *added]
    runs = [str(run) for run in crawl_runs(parent)] if parent else []
    runs += [str(run.resolve()) for run in config.crawls]
    return {
        "format": FORMAT,
        "version": version.name,
        "parent": parent.name if parent else None,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "kind": "build",
        "config": config.to_json(),
        "crawl_runs": list(dict.fromkeys(runs)),
        "shards": entries,
        "documents": sum(int(e["rows"]) for e in entries),
        "delta": {
            "parent": parent.name if parent else None,
            "added": sum(s.rows for s in shards),
            "removed": 0,
            "replaced": 0,
        },
        "stats": stats,
    }


def _added(shard: ShardInfo, version: str) -> dict[str, Any]:
    return {
        "path": f"shards/{shard.path}",
        "rows": shard.rows,
        "sha256": shard.sha256,
        "bytes": shard.bytes,
        "origin": "added",
        "first_version": version,
    }


def input_entry(unit: Unit, result: UnitResult) -> dict[str, Any]:
    """An input with the checksum of every file its documents came from, as read."""
    keys = result.inputs or (FileKey.of(unit.path),)
    entry: dict[str, Any] = {
        "kind": unit.kind,
        "path": str(unit.path.resolve()),
        "sha256": keys[0].sha256,
        "bytes": keys[0].bytes,
        "files": [{"path": k.path, "bytes": k.bytes, "sha256": k.sha256} for k in keys],
    }
    if unit.warc_file:
        entry["warc_file"] = unit.warc_file
    return entry
