"""Readers of token files written from the published layouts alone, to check the writer.

Nothing here imports :mod:`pipeline.tokens`: a reader that shared the writer's code would
agree with any mistake in it. Each layout is read as its own project defines it:

- **Megatron-LM indexed dataset** (``.idx`` + ``.bin``): NVIDIA/Megatron-LM,
  ``megatron/core/datasets/indexed_dataset.py`` at commit d98e8a64 (2026-08-22):
  ``_IndexWriter.write`` and ``_IndexReader.__init__`` for the ``.idx`` (9-byte magic
  ``MMIDIDX\\x00\\x00``, ``<Q`` version 1, ``<B`` dtype code, ``<Q`` sequence count, ``<Q``
  document count, then int32 sequence lengths, int64 sequence byte pointers, int64 document
  indices, all little-endian and back to back), ``DType`` for the codes, and ``_MMapBinReader``
  for the ``.bin`` (a bare array of tokens; a sequence is ``length`` items at byte
  ``pointer``).
- **nanoGPT** (``train.bin`` / ``val.bin``): karpathy/nanoGPT at commit 3adf61e1 (2025-11-12),
  ``data/openwebtext/prepare.py`` (every document's ids then the end-of-text id, concatenated
  into one ``np.memmap`` with no header) and ``train.py`` ``get_batch`` (read back with
  ``np.memmap(path, dtype=np.uint16, mode="r")``). The dtype, fixed to uint16 there, comes
  from our ``meta.json`` here, since a vocabulary over 65,536 needs uint32.
- **Gleaner's own files**: ``meta.json`` beside the nanoGPT streams and the Parquet token
  files ``data/{train,val}/NNNNN.parquet`` (``id``, ``copy``, ``tokens``), as the token
  format of ``gleaner tokenize`` documents them, and its index ``index/NNNNN.parquet``.

What the files should hold (which documents, in which order, on which side) is worked out
at the end from the document shards and the rules of :mod:`pipeline.mixture`, again
without the writer's code.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq

from pipeline.mixture import Mixture, copies, draw

#: The first nine bytes of every ``.idx`` file.
MEGATRON_MAGIC = b"MMIDIDX\x00\x00"
#: Megatron-LM's ``DType`` codes (the ``<B`` after the version) and the numpy type of each.
MEGATRON_DTYPES: dict[int, type[np.number[Any]]] = {
    1: np.uint8,
    2: np.int8,
    3: np.int16,
    4: np.int32,
    5: np.int64,
    6: np.float64,
    7: np.float32,
    8: np.uint16,
}
#: magic, version, dtype code, sequence count, document count: 34 bytes.
_IDX_HEADER = struct.Struct("<9sQBQQ")

Tokens = npt.NDArray[Any]


class LayoutError(ValueError):
    """A file that does not follow its published layout."""


@dataclass(frozen=True)
class IdxHeader:
    """The fixed fields at the start of a ``.idx`` file."""

    magic: bytes
    version: int
    dtype_code: int
    sequence_count: int
    document_count: int


@dataclass(frozen=True)
class MegatronIndex:
    """A parsed ``.idx``: its header and its three arrays."""

    header: IdxHeader
    sequence_lengths: npt.NDArray[np.int32]
    sequence_pointers: npt.NDArray[np.int64]
    document_indices: npt.NDArray[np.int64]

    @property
    def dtype(self) -> type[np.number[Any]]:
        return MEGATRON_DTYPES[self.header.dtype_code]


def read_idx(path: Path) -> MegatronIndex:
    """Parse ``path`` field by field; a wrong magic, version or code, or a size that is not
    exactly header + arrays, is a :class:`LayoutError`."""
    data = path.read_bytes()
    if len(data) < _IDX_HEADER.size:
        raise LayoutError(f"{path}: {len(data)} bytes, shorter than the header")
    header = IdxHeader(*_IDX_HEADER.unpack_from(data))
    if header.magic != MEGATRON_MAGIC or header.version != 1:
        raise LayoutError(f"{path}: magic {header.magic!r} version {header.version}")
    if header.dtype_code not in MEGATRON_DTYPES:
        raise LayoutError(f"{path}: unknown dtype code {header.dtype_code}")
    sequences, documents = header.sequence_count, header.document_count
    expected = _IDX_HEADER.size + sequences * (4 + 8) + documents * 8
    if len(data) != expected:
        raise LayoutError(f"{path}: {len(data)} bytes, the header says {expected}")
    at = _IDX_HEADER.size
    lengths = np.frombuffer(data, dtype="<i4", count=sequences, offset=at)
    pointers = np.frombuffer(data, dtype="<i8", count=sequences, offset=at + 4 * sequences)
    indices = np.frombuffer(data, dtype="<i8", count=documents, offset=at + 12 * sequences)
    return MegatronIndex(header, lengths, pointers, indices)


def memmap_tokens(path: Path, dtype: type[np.number[Any]] | str) -> Tokens:
    """A ``.bin`` as one read-only array (``np.memmap`` cannot map an empty file)."""
    itemsize = np.dtype(dtype).itemsize
    size = path.stat().st_size
    if size % itemsize:
        raise LayoutError(f"{path}: {size} bytes is not a whole number of {dtype} tokens")
    if size == 0:
        return np.empty(0, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r")


@dataclass(frozen=True)
class MegatronDataset:
    """``PREFIX.idx`` and ``PREFIX.bin`` read together."""

    index: MegatronIndex
    tokens: Tokens

    def __len__(self) -> int:
        return self.index.header.sequence_count

    def sequence(self, number: int) -> Tokens:
        """The tokens of sequence ``number``, found by its byte pointer as Megatron does."""
        pointer = int(self.index.sequence_pointers[number])
        itemsize = self.tokens.dtype.itemsize
        if pointer % itemsize:
            raise LayoutError(f"sequence {number}: pointer {pointer} splits a token")
        start = pointer // itemsize
        return self.tokens[start : start + int(self.index.sequence_lengths[number])]

    def sequences(self) -> list[Tokens]:
        return [self.sequence(n) for n in range(len(self))]


def read_megatron(prefix: Path) -> MegatronDataset:
    """``prefix`` without suffix, e.g. ``out/train`` for ``out/train.idx`` and ``.bin``."""
    index = read_idx(prefix.with_suffix(".idx"))
    return MegatronDataset(index, memmap_tokens(prefix.with_suffix(".bin"), index.dtype))


def read_meta(folder: Path) -> dict[str, Any]:
    """The nanoGPT header file ``meta.json``."""
    meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return meta


def read_nanogpt(folder: Path, split: str) -> Tokens:
    """``SPLIT.bin`` as nanoGPT's ``get_batch`` maps it, with the dtype from ``meta.json``."""
    return memmap_tokens(folder / f"{split}.bin", read_meta(folder)["dtype"])


def split_at_eos(stream: Tokens, eos_id: int) -> list[Tokens]:
    """A flat stream cut after every end-of-text token: one piece per document, each
    ending with its EOS. Tokens after the last EOS are a :class:`LayoutError`."""
    ends = (np.flatnonzero(stream == eos_id) + 1).tolist()
    if (ends[-1] if ends else 0) != len(stream):
        raise LayoutError("the stream does not end with an end-of-text token")
    return [stream[s:e] for s, e in zip([0, *ends[:-1]], ends, strict=True)] if ends else []


@dataclass(frozen=True)
class TokenRow:
    """One row of a Parquet token file."""

    id: str
    copy: int
    tokens: list[int]


def read_token_parquet(folder: Path, split: str) -> list[TokenRow]:
    """Every row of ``data/SPLIT/*.parquet``, files in name order, rows in file order."""
    rows: list[TokenRow] = []
    for path in sorted((folder / "data" / split).glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "copy", "tokens"])
        rows += [TokenRow(r["id"], r["copy"], r["tokens"]) for r in table.to_pylist()]
    return rows


def read_index(folder: Path) -> list[dict[str, Any]]:
    """Every row of ``index/*.parquet``, units in name order."""
    rows: list[dict[str, Any]] = []
    for path in sorted((folder / "index").glob("*.parquet")):
        rows += pq.read_table(path).to_pylist()
    return rows


def read_documents(folder: Path, fmt: str, split: str, eos_id: int) -> list[Tokens]:
    """The documents of one split in file order, each as its tokens (EOS included)."""
    if fmt == "megatron":
        return read_megatron(folder / split).sequences()
    if fmt == "nanogpt":
        return split_at_eos(read_nanogpt(folder, split), eos_id)
    return [np.array(row.tokens) for row in read_token_parquet(folder, split)]


# What the files should hold, from the shards and the rules of pipeline.mixture.


def shard_rows(shards: tuple[Path, ...]) -> list[list[dict[str, Any]]]:
    """The rows of every shard of a version, in order."""
    return [pq.read_table(shard).to_pylist() for shard in shards]


def is_validation(doc_id: str, validation: float) -> bool:
    """The split rule: the id alone decides, so it holds across versions and mixtures."""
    return draw(0, doc_id, "split") < validation


def expected_order(
    shards: list[list[dict[str, Any]]], validation: float, mixture: Mixture
) -> dict[str, list[tuple[str, int]]]:
    """(id, copy) of every document of each split in file order: unit after unit; within
    one, copy 0 of every document in shard order, then copy 1 of those with two or more...;
    the validation side takes one copy of a document that has any."""
    order: dict[str, list[tuple[str, int]]] = {"train": [], "val": []}
    for rows in shards:
        wanted = {
            r["id"]: copies(mixture.weight(r["source"], r["language"]), mixture.seed, r["id"])
            for r in rows
        }
        for copy in range(max(wanted.values(), default=0)):
            for row in rows:
                val = is_validation(row["id"], validation)
                if copy < (min(wanted[row["id"]], 1) if val else wanted[row["id"]]):
                    order["val" if val else "train"].append((row["id"], copy))
    return order
