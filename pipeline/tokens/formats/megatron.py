"""Megatron-LM's indexed dataset index (``.idx``, the MMIDIDX layout), one sequence per
document, as ``megatron.core.datasets.indexed_dataset`` and NeMo read it:

    b"MMIDIDX\\x00\\x00"   magic
    <Q 1                  version
    <B code               token type (uint16 = 8, int32 = 4)
    <Q n                  sequences
    <Q n + 1              document indices
    int32[n]              sequence lengths (tokens)
    int64[n]              sequence pointers (byte offset of each in the ``.bin``)
    int64[n + 1]          document indices: 0, 1, ..., n
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["MAGIC", "MEGATRON_DTYPES", "write_index"]

MAGIC = b"MMIDIDX\x00\x00"
#: Megatron-LM's ``DType`` codes of the token types a Megatron output uses.
MEGATRON_DTYPES = {"uint16": 8, "int32": 4}


def write_index(path: Path, lengths: np.ndarray[Any, Any], dtype: np.dtype[Any]) -> None:
    """Write the ``.idx`` for sequences of ``lengths`` tokens of ``dtype``."""
    count = int(lengths.size)
    pointers = np.zeros(count, dtype=np.int64)
    if count:
        pointers[1:] = np.cumsum(lengths[:-1].astype(np.int64)) * dtype.itemsize
    with path.open("wb") as handle:
        handle.write(MAGIC)
        handle.write(struct.pack("<Q", 1))
        handle.write(struct.pack("<B", MEGATRON_DTYPES[dtype.name]))
        handle.write(struct.pack("<Q", count))
        handle.write(struct.pack("<Q", count + 1))
        handle.write(lengths.astype("<i4").tobytes())
        handle.write(pointers.astype("<i8").tobytes())
        handle.write(np.arange(count + 1, dtype="<i8").tobytes())
