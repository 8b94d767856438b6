"""Put the units' parts into the output's final files, and write the token index.

Megatron and nanoGPT: one ``train.bin`` and one ``val.bin``, each the units' parts in
unit order (a side with no document is an empty file; Megatron also writes its ``.idx``).
Parquet: ``data/<side>/NNNNN.parquet`` per unit and side that has documents. Then
``index/NNNNN.parquet`` per unit: its part's rows with ``file`` set and ``row``/``offset``
moved to where the unit starts in that file. Returns, per unit and side, that start.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.tokens.formats.binary import concatenate
from pipeline.tokens.formats.megatron import write_index
from pipeline.tokens.formats.parquet import write_token_table
from pipeline.tokens.parts import ROWS_FILE, part_folder, tokens_file
from pipeline.tokens.plan import TokenSettings, Unit
from pipeline.tokens.split import SPLITS

__all__ = ["INDEX_DIR", "assemble", "index_file"]

INDEX_DIR = "index"
Starts = dict[str, dict[str, Any]]


def index_file(index: int) -> str:
    return f"{INDEX_DIR}/{index:05d}.parquet"


def assemble(staging: Path, units: Sequence[Unit], settings: TokenSettings) -> list[Starts]:
    """Write the final files under ``staging`` from its parts; see the module docstring."""
    rows = [pq.read_table(part_folder(staging, u.index) / ROWS_FILE) for u in units]
    if settings.fmt == "parquet":
        starts = _parquet_files(staging, units, rows, settings)
    else:
        starts = _flat_files(staging, units, rows, settings)
    (staging / INDEX_DIR).mkdir(exist_ok=True)
    for unit, table, where in zip(units, rows, starts, strict=True):
        pq.write_table(_placed(table, where), staging / index_file(unit.index))
    return starts


def _side(table: pa.Table, side: str) -> pa.Table:
    return table.filter(pc.equal(table["split"], side))


def _flat_files(
    staging: Path, units: Sequence[Unit], rows: list[pa.Table], settings: TokenSettings
) -> list[Starts]:
    starts: list[Starts] = [{} for _ in units]
    for side in SPLITS:
        row = token = 0
        for number, table in enumerate(rows):
            mine = _side(table, side)
            starts[number][side] = {"file": f"{side}.bin", "row_start": row, "token_start": token}
            row += mine.num_rows
            token += int(pc.sum(mine["length"]).as_py() or 0)
        parts = [tokens_file(part_folder(staging, u.index), side) for u in units]
        concatenate(parts, staging / f"{side}.bin")
        if settings.fmt == "megatron":
            lengths = [_side(t, side)["length"].to_numpy() for t in rows]
            every = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
            write_index(staging / f"{side}.idx", every, settings.numpy_dtype)
    return starts


def _parquet_files(
    staging: Path, units: Sequence[Unit], rows: list[pa.Table], settings: TokenSettings
) -> list[Starts]:
    starts: list[Starts] = []
    for unit, table in zip(units, rows, strict=True):
        where: Starts = {}
        for side in SPLITS:
            mine = _side(table, side)
            name = f"data/{side}/{unit.index:05d}.parquet" if mine.num_rows else None
            where[side] = {"file": name, "row_start": 0, "token_start": 0}
            if name:
                path = tokens_file(part_folder(staging, unit.index), side)
                tokens = np.fromfile(path, dtype=settings.numpy_dtype)
                write_token_table(staging / name, tokens, mine)
        starts.append(where)
    return starts


def _placed(table: pa.Table, where: Starts) -> pa.Table:
    """The part's rows with their file and their place in it."""
    pieces = []
    for side in SPLITS:
        mine = _side(table, side)
        start = where[side]
        count = mine.num_rows
        mine = mine.set_column(3, "file", pa.array([start["file"] or ""] * count, pa.string()))
        mine = mine.set_column(4, "row", pc.add(mine["row"], start["row_start"]))
        mine = mine.set_column(5, "offset", pc.add(mine["offset"], start["token_start"]))
        pieces.append(mine)
    return pa.concat_tables(pieces).cast(table.schema)
