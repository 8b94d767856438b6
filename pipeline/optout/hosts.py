"""The authorities (``scheme://host[:port]``) of the web documents of a version."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

import policies
from pipeline.lineage import VersionView

__all__ = ["web_authorities"]


def web_authorities(snapshot: VersionView) -> list[str]:
    """Every canonical authority of a web document in ``snapshot``, sorted.

    Reads two columns, never the text: a refresh of a large dataset stays cheap.
    """
    found: set[str] = set()
    for shard in snapshot.shards:
        table = pq.read_table(Path(shard), columns=["source", "url"])
        for source, url in zip(table["source"].to_pylist(), table["url"].to_pylist(), strict=True):
            if source == "web" and url:
                found.add(policies.authority(url))
    return sorted(found)
