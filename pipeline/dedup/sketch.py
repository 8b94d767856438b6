"""MinHash signatures made in stage 1, one file per work file, so stage 2 never re-reads text.

A signature is per document, so it is computed where the document already is: in
the stage-1 worker that writes it to its work file, from the words the text was
normalised into once (:func:`pipeline.text.analyse`). The signatures go, in work-file
order, to ``<work file>.<SKETCH>.npy`` (written atomically, before the unit's completion
marker); the dedup step's keys read them instead of the text. A work file without
one (near-dup off, or sketched by another algorithm: the name carries it, so a
build resumed after an upgrade never mixes two) is keyed from its text as before.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import numpy.typing as npt

from pipeline.dedup.minhash import SKETCH, MinHashConfig, signature, word_shingles
from pipeline.text import TextStats

__all__ = ["Sketcher", "load_sketch", "sketch_file"]

U64 = npt.NDArray[np.uint64]


def sketch_file(work_file: Path) -> Path:
    return work_file.with_suffix(f".{SKETCH}.npy")


class Sketcher:
    """Collect the signature of each document written to one work file, in order."""

    def __init__(self, config: MinHashConfig) -> None:
        self.config = config
        self.rows: list[U64] = []

    def add(self, stats: TextStats) -> None:
        shingles = word_shingles(stats.words, self.config.ngram)
        self.rows.append(signature(shingles, self.config))

    def save(self, work_file: Path) -> Path:
        path = sketch_file(work_file)
        sigs = np.stack(self.rows) if self.rows else np.empty((0, self.config.hashes), np.uint64)
        tmp = path.with_name(f".{path.name}.tmp")
        with tmp.open("wb") as out:
            np.save(out, sigs)
        os.replace(tmp, path)
        return path


def load_sketch(work_file: Path, rows: int, config: MinHashConfig) -> U64 | None:
    """The work file's signatures, or None when it has none of this shape (memory-mapped)."""
    path = sketch_file(work_file)
    if not path.is_file():
        return None
    sigs: U64 = np.load(path, mmap_mode="r")
    if sigs.dtype != np.uint64 or sigs.shape != (rows, config.hashes):
        return None
    return sigs
