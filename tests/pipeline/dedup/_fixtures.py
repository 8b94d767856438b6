"""Small helpers for the dedup tests: documents, work files, and a dedup run."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from pipeline.dedup import Dedup, DedupConfig
from pipeline.dedup.version_index import EarlierIndex
from pipeline.document import Document
from pipeline.shards import ParquetShardWriter
from pipeline.text import text_sha256

WORDS = [f"w{i}" for i in range(5000)]


def prose(seed: int, n: int = 200) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def edited(text: str, words: int, seed: int = 0) -> str:
    """``text`` with ``words`` words replaced (2 of 200 keeps Jaccard near 0.9)."""
    rng = random.Random(seed)
    out = text.split()
    for i in rng.sample(range(len(out)), words):
        out[i] = "x" + rng.choice(WORDS)
    return " ".join(out)


def doc(doc_id: str, text: str, source: str = "web", url: str | None = None) -> Document:
    made = Document(id=doc_id, text=text, source=source, url=url or f"http://x.test/{doc_id}")
    made.metadata["text_sha256"] = text_sha256(text)
    return made


def work_files(folder: Path, groups: Sequence[Sequence[Document]]) -> list[Path]:
    """One work file per group, in dedup priority order."""
    paths = []
    for i, docs in enumerate(groups):
        writer = ParquetShardWriter(folder / "work", prefix=f"{i:05d}", max_rows=10**9)
        writer.write(docs)
        paths.append(folder / "work" / writer.shards[0].path)
    return paths


def run_dedup(
    folder: Path,
    groups: Sequence[Sequence[Document]],
    config: DedupConfig | None = None,
    earlier: Sequence[EarlierIndex] = (),
    version: str = "v0001",
    workers: int = 1,
) -> tuple[list[Document], Dedup]:
    step = Dedup(
        work_files(folder, groups),
        scratch=folder / "scratch",
        version=version,
        config=config,
        earlier=earlier,
        duplicates=folder / "duplicates.parquet",
        workers=workers,
    )
    return list(step()), step
