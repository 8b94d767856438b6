"""A unit's part: its tokens per side and their index rows, before assembly.

Each finished unit leaves ``parts/NNNNN/train.tokens`` and ``val.tokens`` (raw token ids
in the output's token type, documents one after another, each ending with the
end-of-text id) and ``rows.parquet`` (its index rows, with ``row`` and ``offset``
counted from the start of the unit's side; ``file`` is filled in at assembly, when the
unit's place in the final files is known). A unit tokenized now and a unit reused from
an earlier output leave the same part.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.tokens.plan import Unit
from pipeline.tokens.schema import INDEX_SCHEMA, METADATA_COLUMNS
from pipeline.tokens.split import SPLITS

__all__ = ["ROWS_FILE", "SideWriter", "part_folder", "tokens_file", "write_rows"]

ROWS_FILE = "rows.parquet"


def part_folder(staging: Path, index: int) -> Path:
    return staging / "parts" / f"{index:05d}"


def tokens_file(part: Path, side: str) -> Path:
    return part / f"{side}.tokens"


class SideWriter:
    """The tokens of one side of one unit, appended in order, and their index rows."""

    def __init__(self, part: Path, side: str, dtype: np.dtype[Any]) -> None:
        self.side, self.dtype = side, dtype
        self.handle = tokens_file(part, side).open("wb")
        self.columns: dict[str, list[Any]] = {name: [] for name in ("id", "copy", "length")}
        self.columns |= {name: [] for name in METADATA_COLUMNS}
        self.tokens = 0

    def append(
        self,
        tokens: np.ndarray[Any, Any],
        lengths: list[int],
        copy: int,
        rows: dict[str, list[Any]],
    ) -> None:
        """Documents' ``tokens`` (their ``lengths`` summing to its size), copy number ``copy``,
        with their ``rows`` (id and metadata columns)."""
        self.handle.write(tokens.astype(self.dtype, copy=False).tobytes())
        self.tokens += int(tokens.size)
        self.columns["length"] += lengths
        self.columns["copy"] += [copy] * len(lengths)
        for name in ("id", *METADATA_COLUMNS):
            self.columns[name] += rows[name]

    def close(self) -> None:
        self.handle.close()

    def table(self, unit: Unit) -> pa.Table:
        """The side's index rows, ``row``/``offset`` counted from the unit's side start."""
        lengths = np.asarray(self.columns["length"], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if lengths.size else lengths
        count = len(lengths)
        columns = {
            "id": self.columns["id"],
            "copy": self.columns["copy"],
            "split": [self.side] * count,
            "file": [""] * count,
            "row": np.arange(count, dtype=np.int64),
            "offset": offsets,
            "length": lengths,
            "unit": [unit.index] * count,
            "shard": [unit.relative] * count,
        }
        columns |= {name: self.columns[name] for name in METADATA_COLUMNS}
        return pa.table(columns, schema=INDEX_SCHEMA)


def write_rows(part: Path, tables: list[pa.Table]) -> dict[str, dict[str, int]]:
    """Write the unit's index rows (train side first); return its count per side."""
    table = pa.concat_tables(tables) if tables else INDEX_SCHEMA.empty_table()
    pq.write_table(table, part / ROWS_FILE)
    counts = {}
    for side in SPLITS:
        mine = table.filter(pa.compute.equal(table["split"], side))
        counts[side] = {
            "documents": mine.num_rows,
            "tokens": int(pa.compute.sum(mine["length"]).as_py() or 0),
        }
    return counts
