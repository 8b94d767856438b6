"""A removal version written by hand in the snapshot format, for the report's tests.

Its shards lack the ``text`` column, so a report that reads them at all never reads text.
It stands in for the versions ``gleaner remove`` writes, so the report is tested on its own.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.schema import REMOVAL_SCHEMA

REMOVED = {
    "id": "doc-1",
    "url": "http://127.0.0.1:1/a",
    "host": "127.0.0.1:1",
    "domain": "127.0.0.1",
    "source": "web",
    "licensor": None,
    "removed_from": "v0001",
    "reason": "requested",
    "deciding_signal": None,
    "rule": None,
    "evidence": "mail of 2026-12-01",
    "note": "publisher asked",
    "request": "remove",
    "removed_at": datetime(2026, 12, 1, tzinfo=UTC),
    "replaced_by": None,
}


def hand_made_removal(parent: Path) -> Path:
    """``parent``'s next version: the same shards (text dropped), one document removed."""
    child = parent.parent / f"v{int(parent.name[1:]) + 1:04d}"
    shutil.copytree(parent, child)
    manifest = json.loads((child / "manifest.json").read_text())
    for shard in manifest["shards"]:
        path = child / shard["path"]
        pq.write_table(pq.read_table(path).drop(["text"]), path)
        shard.update(origin="reused", first_version=parent.name)
    removals = pa.Table.from_pylist([{f.name: REMOVED.get(f.name) for f in REMOVAL_SCHEMA}])
    pq.write_table(removals.cast(REMOVAL_SCHEMA), child / "removals.parquet")
    (child / "stats" / "stats.parquet").unlink()
    (child / "duplicates.parquet").unlink()
    manifest.update(
        format=2,
        version=child.name,
        parent=parent.name,
        kind="remove",
        documents=manifest["documents"] - 1,
        delta={"parent": parent.name, "added": 0, "removed": 1, "replaced": 0},
    )
    (child / "manifest.json").write_text(json.dumps(manifest))
    return child
