"""Stage-1 sketches: the signatures stage 2 would compute, so keys never re-read the text."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from pipeline.dedup import DedupConfig
from pipeline.dedup.keys import KeysJob, write_keys
from pipeline.dedup.minhash import SKETCH, MinHashConfig, signatures
from pipeline.dedup.sketch import Sketcher, load_sketch, sketch_file
from pipeline.text import analyse
from tests.pipeline.dedup._fixtures import doc, edited, prose, work_files

TEXTS = [prose(1), edited(prose(1), 2), "", "Tromsø ½ ﬁne — “quoted”", "short", prose(2, 3)]


@pytest.mark.parametrize(
    "config", [MinHashConfig(), MinHashConfig(ngram=3, bands=9, rows=13, seed=7)]
)
def test_a_sketch_holds_the_signatures_of_the_texts(tmp_path: Path, config: MinHashConfig) -> None:
    sketcher = Sketcher(config)
    for text in TEXTS:
        sketcher.add(analyse(text))
    work = tmp_path / "00000-00000.parquet"
    saved = sketcher.save(work)
    assert saved == sketch_file(work) == tmp_path / f"00000-00000.{SKETCH}.npy"
    assert np.array_equal(np.load(saved), signatures(TEXTS, config))


def test_keys_from_a_sketch_equal_keys_from_the_text(tmp_path: Path) -> None:
    config = DedupConfig()
    [work] = work_files(tmp_path, [[doc(f"d{i}", t) for i, t in enumerate(TEXTS)]])
    from_text = write_keys(KeysJob(work, tmp_path / "keys-text.parquet", 10, config))
    sketcher = Sketcher(config.minhash)
    for text in TEXTS:
        sketcher.add(analyse(text))
    sketcher.save(work)
    from_sketch = write_keys(KeysJob(work, tmp_path / "keys-sketch.parquet", 10, config))
    assert pq.read_table(from_sketch).equals(pq.read_table(from_text))
    assert np.array_equal(
        np.load(from_sketch.with_suffix(".npy")), signatures(TEXTS, config.minhash)
    )


@pytest.mark.parametrize(
    ("rows", "config", "found"),
    [
        (len(TEXTS), MinHashConfig(), True),
        (len(TEXTS) + 1, MinHashConfig(), False),  # not this work file's sketch
        (len(TEXTS), MinHashConfig(bands=9, rows=13), False),  # another layout
    ],
)
def test_a_sketch_of_another_shape_is_not_used(
    tmp_path: Path, rows: int, config: MinHashConfig, found: bool
) -> None:
    sketcher = Sketcher(MinHashConfig())
    for text in TEXTS:
        sketcher.add(analyse(text))
    work = tmp_path / "w.parquet"
    sketcher.save(work)
    assert (load_sketch(work, rows, config) is not None) is found
    assert load_sketch(tmp_path / "other.parquet", rows, config) is None


def test_a_sketch_an_older_algorithm_wrote_is_not_used(tmp_path: Path) -> None:
    """A build resumed after an upgrade keys such a work file from its text: signatures of
    two algorithms in one build would never agree, hiding every near copy across them."""
    config = DedupConfig()
    [work] = work_files(tmp_path, [[doc(f"d{i}", t) for i, t in enumerate(TEXTS)]])
    older = signatures(TEXTS, config.minhash) ^ np.uint64(0xFFFF)  # same shape, other values
    np.save(work.with_suffix(".minhash.npy"), older)  # where the previous algorithm put it
    assert load_sketch(work, len(TEXTS), config.minhash) is None
    keyed = write_keys(KeysJob(work, tmp_path / "keys.parquet", 10, config))
    assert np.array_equal(np.load(keyed.with_suffix(".npy")), signatures(TEXTS, config.minhash))
