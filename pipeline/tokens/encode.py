"""Tokenize one unit (one shard) into its part (see :mod:`pipeline.tokens.parts`).

The shard is read in pyarrow batches of the few columns needed; each batch's texts are
encoded in one ``encode_batch_fast`` call (without special tokens), and the ids become
one numpy array per batch with the end-of-text id put after every document, so no
Python code runs per token. A side's documents keep shard order. The train side holds
copy 0 of every document first, then copy 1 of those with two copies or more, and so on;
later copies are read back from copy 0's tokens, never encoded twice.
"""

from __future__ import annotations

import itertools
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
from tokenizers import Tokenizer

from pipeline.tokens.parts import SideWriter, tokens_file, write_rows
from pipeline.tokens.plan import TokenSettings, Unit
from pipeline.tokens.schema import METADATA_COLUMNS
from pipeline.tokens.split import SPLITS, TRAIN, side_copies

__all__ = ["Stopped", "encode_texts", "encode_unit"]

_BATCH_ROWS = 1024
_COLUMNS = ["id", "text", *METADATA_COLUMNS]
_CARRIED = ("id", *METADATA_COLUMNS)


class Stopped(Exception):
    """A unit gave up because the run is stopping (Ctrl-C, or another unit failed)."""


def encode_texts(
    tokenizer: Tokenizer, texts: list[str], eos_id: int, dtype: np.dtype[Any]
) -> tuple[np.ndarray[Any, Any], list[int]]:
    """The texts' ids, each followed by ``eos_id``, as one array; and each one's length."""
    encode = getattr(tokenizer, "encode_batch_fast", tokenizer.encode_batch)
    ids = [encoding.ids for encoding in encode(texts, add_special_tokens=False)]
    lengths = [len(one) + 1 for one in ids]
    ends = np.cumsum(np.asarray(lengths, dtype=np.int64)) - 1
    flat = np.full(int(ends[-1]) + 1 if lengths else 0, eos_id, dtype=dtype)
    body = np.ones(flat.size, dtype=bool)
    body[ends] = False
    flat[body] = np.fromiter(itertools.chain.from_iterable(ids), dtype, flat.size - len(ids))
    return flat, lengths


def encode_unit(
    unit: Unit, settings: TokenSettings, part: Path, stop: threading.Event | None = None
) -> dict[str, dict[str, int]]:
    """Write ``unit``'s part under ``part``; return its documents and tokens per side.
    When ``stop`` is set the unit gives up before its next batch (:class:`Stopped`)."""
    part.mkdir(parents=True, exist_ok=True)
    tokenizer = settings.tokenizer.load()
    sides = {side: SideWriter(part, side, settings.numpy_dtype) for side in SPLITS}
    repeats: list[tuple[int, int]] = []  # (copies, train ordinal) of documents repeated
    try:
        for batch in pq.ParquetFile(unit.shard).iter_batches(_BATCH_ROWS, columns=_COLUMNS):
            if stop is not None and stop.is_set():
                raise Stopped(f"{unit.shard.name}: stopped before it was finished")
            columns = {name: batch.column(name).to_pylist() for name in _COLUMNS}
            _encode_batch(tokenizer, settings, columns, sides, repeats)
    finally:
        for writer in sides.values():
            writer.close()
    _write_repeats(part, sides[TRAIN], repeats)
    return write_rows(part, [sides[side].table(unit) for side in SPLITS])


def _encode_batch(
    tokenizer: Tokenizer,
    settings: TokenSettings,
    columns: dict[str, list[Any]],
    sides: dict[str, SideWriter],
    repeats: list[tuple[int, int]],
) -> None:
    chosen: dict[str, list[int]] = {side: [] for side in SPLITS}
    for row, doc_id in enumerate(columns["id"]):
        side, count = side_copies(
            settings.mixture,
            settings.validation,
            doc_id,
            columns["source"][row],
            columns["language"][row],
        )
        if count >= 2:
            repeats.append((count, len(sides[TRAIN].columns["id"]) + len(chosen[TRAIN])))
        if count:
            chosen[side].append(row)
    for side, rows in chosen.items():
        if rows:
            texts = [columns["text"][row] for row in rows]
            eos = settings.tokenizer.eos_id
            tokens, lengths = encode_texts(tokenizer, texts, eos, settings.numpy_dtype)
            picked = {name: [columns[name][row] for row in rows] for name in _CARRIED}
            sides[side].append(tokens, lengths, 0, picked)


def _write_repeats(part: Path, train: SideWriter, repeats: list[tuple[int, int]]) -> None:
    """Append copies 1, 2, ... of repeated documents, read back from copy 0's tokens."""
    if not repeats:
        return
    lengths = np.asarray(train.columns["length"], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    first = np.memmap(tokens_file(part, TRAIN), dtype=train.dtype, mode="r", shape=(train.tokens,))
    with tokens_file(part, TRAIN).open("ab") as handle:
        train.handle = handle
        for copy in range(1, max(count for count, _ in repeats)):
            ordinals = [ordinal for count, ordinal in repeats if count > copy]
            tokens = np.concatenate([first[starts[o] : starts[o] + lengths[o]] for o in ordinals])
            rows = {name: [train.columns[name][o] for o in ordinals] for name in _CARRIED}
            train.append(tokens, [int(lengths[o]) for o in ordinals], copy, rows)
    del first
