"""Parquet token files: one row per copy of a document, ``id``, ``copy`` and ``tokens``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.tokens.schema import token_list_schema

__all__ = ["write_token_table"]


def write_token_table(path: Path, tokens: np.ndarray[Any, Any], rows: pa.Table) -> None:
    """Write ``rows`` (``id``, ``copy``, ``length`` in order) with their ``tokens``."""
    lengths = rows["length"].to_numpy()
    offsets = np.zeros(len(lengths) + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    values = pa.array(tokens)
    lists = pa.ListArray.from_arrays(pa.array(offsets), values)
    schema = token_list_schema(values.type)
    table = pa.table([rows["id"], rows["copy"], lists], schema=schema)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
