"""The dedup index of a derived version: the parent's rows the removal kept, then the
keys of the documents it added.

Row ``i`` of a version's index is its ``i``-th document (see
:mod:`pipeline.dedup.version_index`), so the parent's rows, read in the snapshot's
order, are filtered by the same keep mask as its shards; the replacements' keys are
computed by the build's own key function with the dataset's dedup settings, so later
builds match them like any other document.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dedup.config import DedupConfig
from pipeline.dedup.keys import KeysJob, write_keys
from pipeline.dedup.minhash import MinHashConfig
from pipeline.errors import DatasetError
from record.schema import DOCUMENT_SCHEMA

__all__ = ["dedup_settings", "filter_index", "replacement_keys"]


def dedup_settings(manifest: dict[str, Any]) -> DedupConfig:
    """The dedup settings a version was built with (its manifest's config), else defaults."""
    table = dict((manifest.get("config") or {}).get("dedup") or {})
    if not table:
        return DedupConfig()
    try:
        minhash = MinHashConfig(**table.pop("minhash"))
        table["prefer"] = tuple(table.get("prefer", ()))
        return DedupConfig(minhash=minhash, **table)
    except (KeyError, TypeError, ValueError) as exc:
        raise DatasetError(f"{manifest.get('version')}: unreadable dedup config: {exc}") from exc


def filter_index(
    sources: Sequence[Path],
    keep: npt.NDArray[np.bool_],
    target: Path,
    added: pa.Table | None = None,
) -> int:
    """Write the rows of ``sources`` (in order) that ``keep`` keeps, then ``added``; return
    the file's size. The parent's schema, layout metadata included, is kept."""
    missing = [p for p in sources if not p.is_file()]
    if not sources or missing:
        raise DatasetError(f"{missing[0] if missing else target}: dedup index missing")
    held = sum(pq.ParquetFile(p).metadata.num_rows for p in sources)
    if held != len(keep):
        raise DatasetError(
            f"{sources[-1]}: the dedup index holds {held} rows, the shards {len(keep)} "
            "documents; run gleaner verify"
        )
    schema = pq.read_schema(sources[0])
    target.parent.mkdir(parents=True, exist_ok=True)
    first = 0
    with pq.ParquetWriter(target, schema, compression="none", use_dictionary=False) as writer:
        for source in sources:
            for batch in pq.ParquetFile(source).iter_batches(columns=schema.names):
                mask = pa.array(keep[first : first + batch.num_rows])
                first += batch.num_rows
                writer.write_table(pa.Table.from_batches([batch]).filter(mask).cast(schema))
        if added is not None:
            writer.write_table(added.select(schema.names).cast(schema))
    return target.stat().st_size


def replacement_keys(rows: list[dict[str, Any]], config: DedupConfig, scratch: Path) -> pa.Table:
    """The dedup keys of document rows, computed as a build computes them."""
    scratch.mkdir(parents=True, exist_ok=True)
    work = scratch / "replacements.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=DOCUMENT_SCHEMA), work)
    return pq.read_table(
        write_keys(KeysJob(work, scratch / "keys-replacements.parquet", 0, config))
    )
