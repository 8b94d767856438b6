"""The independent readers of ``layouts.py`` on files made here from the published layouts:
before they judge ``gleaner tokenize``, they must read what the layouts describe."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.pipeline.tokens.layouts import (
    MEGATRON_MAGIC,
    LayoutError,
    TokenRow,
    read_idx,
    read_megatron,
    read_meta,
    read_nanogpt,
    read_token_parquet,
    split_at_eos,
)

CODES = {np.uint16: 8, np.int32: 4}


def write_megatron(prefix: Path, sequences: list[list[int]], dtype: Any) -> None:
    """One sequence per document, as Megatron-LM's ``_IndexWriter`` lays it out."""
    itemsize = np.dtype(dtype).itemsize
    lengths = [len(s) for s in sequences]
    pointers = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)[:-1] * itemsize])
    tokens = np.array([t for s in sequences for t in s], dtype=dtype)
    prefix.with_suffix(".bin").write_bytes(tokens.tobytes())
    header = MEGATRON_MAGIC + struct.pack("<QBQQ", 1, CODES[dtype], len(lengths), len(lengths) + 1)
    arrays = [
        np.array(lengths, dtype="<i4"),
        np.array(pointers[: len(lengths)], dtype="<i8"),
        np.arange(len(lengths) + 1, dtype="<i8"),
    ]
    prefix.with_suffix(".idx").write_bytes(header + b"".join(a.tobytes() for a in arrays))


def test_a_two_sequence_idx_byte_by_byte(tmp_path: Path) -> None:
    """The bytes spelled out from the layout, not from a writer: sequences [5, 6] and [7]."""
    idx = (
        b"MMIDIDX\x00\x00"
        + (1).to_bytes(8, "little")
        + b"\x08"
        + (2).to_bytes(8, "little")
        + (3).to_bytes(8, "little")
        + (2).to_bytes(4, "little")
        + (1).to_bytes(4, "little")
        + (0).to_bytes(8, "little")
        + (4).to_bytes(8, "little")
        + b"".join(n.to_bytes(8, "little") for n in (0, 1, 2))
    )
    (tmp_path / "t.idx").write_bytes(idx)
    (tmp_path / "t.bin").write_bytes(b"\x05\x00\x06\x00\x07\x00")
    dataset = read_megatron(tmp_path / "t")
    assert dataset.index.header.dtype_code == 8
    assert dataset.index.header.sequence_count == 2
    assert dataset.index.header.document_count == 3
    assert [s.tolist() for s in dataset.sequences()] == [[5, 6], [7]]


token_lists = st.lists(st.lists(st.integers(0, 65_535), min_size=1, max_size=20), max_size=12)


@settings(max_examples=40, deadline=None)
@given(sequences=token_lists, dtype=st.sampled_from([np.uint16, np.int32]))
def test_megatron_sequences_read_back(
    tmp_path_factory: pytest.TempPathFactory, sequences: list[list[int]], dtype: Any
) -> None:
    prefix = tmp_path_factory.mktemp("megatron") / "train"
    write_megatron(prefix, sequences, dtype)
    dataset = read_megatron(prefix)
    assert dataset.tokens.dtype == np.dtype(dtype)
    assert [s.tolist() for s in dataset.sequences()] == sequences
    assert dataset.index.document_indices.tolist() == list(range(len(sequences) + 1))


def test_an_empty_megatron_split_has_a_valid_idx_and_an_empty_bin(tmp_path: Path) -> None:
    write_megatron(tmp_path / "val", [], np.uint16)
    dataset = read_megatron(tmp_path / "val")
    assert len(dataset) == 0 and dataset.tokens.size == 0
    assert dataset.index.document_indices.tolist() == [0]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b"MMIDIDY\x00\x00" + b[9:], "magic"),
        (lambda b: b[:9] + (2).to_bytes(8, "little") + b[17:], "version 2"),
        (lambda b: b[:17] + b"\x63" + b[18:], "dtype code 99"),
        (lambda b: b[:-1], "the header says"),
        (lambda b: b + b"\x00" * 8, "the header says"),
        (lambda b: b[:20], "shorter than the header"),
    ],
)
def test_a_damaged_idx_is_a_layout_error(tmp_path: Path, damage: Any, message: str) -> None:
    write_megatron(tmp_path / "train", [[1, 2], [3]], np.uint16)
    idx = tmp_path / "train.idx"
    idx.write_bytes(damage(idx.read_bytes()))
    with pytest.raises(LayoutError, match=message):
        read_idx(idx)


def test_a_bin_of_half_a_token_is_a_layout_error(tmp_path: Path) -> None:
    write_megatron(tmp_path / "train", [[1, 2], [3]], np.uint16)
    (tmp_path / "train.bin").write_bytes(b"\x01\x00\x02")
    with pytest.raises(LayoutError, match="whole number"):
        read_megatron(tmp_path / "train")


@settings(max_examples=40, deadline=None)
@given(documents=st.lists(st.lists(st.integers(1, 65_535), max_size=20), max_size=12))
def test_a_nanogpt_stream_cuts_back_into_documents(
    tmp_path_factory: pytest.TempPathFactory, documents: list[list[int]]
) -> None:
    """Written as nanoGPT's prepare.py does: ids then EOS (0 here), one np.memmap."""
    folder = tmp_path_factory.mktemp("nanogpt")
    ids = [t for d in documents for t in [*d, 0]]
    (folder / "meta.json").write_text('{"dtype": "uint16", "eos_id": 0}', encoding="utf-8")
    if ids:
        stream = np.memmap(folder / "train.bin", dtype=np.uint16, mode="w+", shape=(len(ids),))
        stream[:] = ids
        stream.flush()
        del stream
    else:
        (folder / "train.bin").write_bytes(b"")
    read = read_nanogpt(folder, "train")
    assert read_meta(folder)["eos_id"] == 0
    assert [p.tolist() for p in split_at_eos(read, 0)] == [[*d, 0] for d in documents]


def test_tokens_after_the_last_eos_are_a_layout_error() -> None:
    with pytest.raises(LayoutError, match="end-of-text"):
        split_at_eos(np.array([4, 0, 5], dtype=np.uint16), 0)


def test_parquet_token_files_read_in_name_order(tmp_path: Path) -> None:
    schema = pa.schema(
        [("id", pa.string()), ("copy", pa.int32()), ("tokens", pa.list_(pa.uint16()))]
    )
    (tmp_path / "data" / "train").mkdir(parents=True)
    for number, rows in enumerate([[("b", 0, [3, 0])], [("a", 0, [4, 5, 0]), ("a", 1, [4, 5, 0])]]):
        table = pa.Table.from_pylist(
            [{"id": i, "copy": c, "tokens": t} for i, c, t in rows], schema=schema
        )
        pq.write_table(table, tmp_path / "data" / "train" / f"{number:05d}.parquet")
    assert read_token_parquet(tmp_path, "train") == [
        TokenRow("b", 0, [3, 0]),
        TokenRow("a", 0, [4, 5, 0]),
        TokenRow("a", 1, [4, 5, 0]),
    ]
    assert read_token_parquet(tmp_path, "val") == []
