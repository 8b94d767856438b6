"""Shingle confirmation (``confirm = "exact"``): a candidate pair's exact shingle-set Jaccard.

The signature estimate is +-0.04 with 112 hashes, so near the threshold it both
misses true pairs and admits false ones. With ``confirm = "exact"`` a candidate is
judged on its real 5-word shingle sets instead (64-bit shingle hashes, the same
ones MinHash uses). Only the documents that appear in some band candidate are
read again, one task per work file (:func:`write_shingles`), and their sorted hash
arrays (~8 bytes per distinct shingle) go to scratch files that every confirming
task memory-maps (:class:`ShingleStore`): each set is computed once, and the memory
cost follows the near-duplicate documents, not the corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.dedup.minhash import shingle_hashes

__all__ = ["ShingleJob", "ShingleStore", "write_shingles"]

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]

_BATCH = 2048  # rows of text decoded at once; only the wanted ones become Python strings


@dataclass(frozen=True, slots=True, eq=False)
class ShingleJob:
    """The wanted documents of one work file and where their shingle sets go."""

    work_file: Path
    first_doc: int  # the work file's first global doc number
    docs: I64  # global numbers of its wanted documents, ascending
    out: Path  # hashes; the ``(doc, end offset)`` index goes beside it
    ngram: int


def _index_file(hashes: Path) -> Path:
    return hashes.with_suffix(".index.npy")


def write_shingles(job: ShingleJob) -> Path:
    """Write the sorted distinct shingle hashes of the job's documents (runs in a task)."""
    rows = job.docs - job.first_doc
    sets: list[U64] = []
    start = 0
    for batch in pq.ParquetFile(job.work_file).iter_batches(batch_size=_BATCH, columns=["text"]):
        lo, hi = np.searchsorted(rows, [start, start + batch.num_rows])
        if hi > lo:
            texts = batch.column(0).take(pa.array(rows[lo:hi] - start)).to_pylist()
            sets += [np.unique(shingle_hashes(text, job.ngram)) for text in texts]
        start += batch.num_rows
    ends = np.cumsum([len(s) for s in sets], dtype=np.int64)
    np.save(job.out, np.concatenate(sets) if sets else np.empty(0, dtype=np.uint64))
    np.save(_index_file(job.out), np.stack([job.docs.astype(np.int64), ends], axis=1))
    return job.out


class ShingleStore:
    """The shingle sets :func:`write_shingles` wrote, memory-mapped, by global doc number."""

    def __init__(self, files: Sequence[Path]) -> None:
        self.hashes = [np.load(f, mmap_mode="r") for f in files]
        index = [np.load(_index_file(f)).reshape(-1, 2) for f in files]
        self.docs: I64 = np.concatenate([i[:, 0] for i in index] or [np.empty(0, np.int64)])
        ends = [i[:, 1] for i in index]
        starts = [np.concatenate([[0], e[:-1]]) for e in ends]
        self.starts: I64 = np.concatenate(starts or [np.empty(0, np.int64)]).astype(np.int64)
        self.ends: I64 = np.concatenate(ends or [np.empty(0, np.int64)])
        self.part: I64 = np.concatenate(
            [np.full(len(i), p, dtype=np.int64) for p, i in enumerate(index)]
            or [np.empty(0, np.int64)]
        )

    def _locate(self, docs: I64) -> I64:
        """Each document's row in the index; :class:`KeyError` for one not stored."""
        at = np.minimum(np.searchsorted(self.docs, docs), max(len(self.docs) - 1, 0))
        missing = docs != self.docs[at] if len(self.docs) else np.ones(docs.shape, bool)
        if missing.any():
            raise KeyError(int(docs[missing][0]))
        return at

    def similarity(self, pairs: I64) -> npt.NDArray[np.float64]:
        """Exact Jaccard of each ``(a, b)`` row of ``pairs``."""
        at = self._locate(pairs)
        part, start, end = (a.tolist() for a in (self.part[at], self.starts[at], self.ends[at]))
        out = np.empty(len(pairs), dtype=np.float64)
        for i, (p, s, e) in enumerate(zip(part, start, end, strict=True)):
            left = self.hashes[p[0]][s[0] : e[0]]
            right = self.hashes[p[1]][s[1] : e[1]]
            shared = len(np.intersect1d(left, right, assume_unique=True))
            out[i] = shared / (len(left) + len(right) - shared)
        return out
