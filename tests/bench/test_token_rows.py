"""The tokenizer rows' pieces, without the anchor venv: the prose, the memory probe, the table."""

from __future__ import annotations

import sys
from pathlib import Path

from bench._lexicon import Lexicon, documents
from bench._measure import timed_run
from bench.results import Side, Unavailable
from bench.rows.tokens import _memory_result

# A child that starts a grandchild holding 64 MiB: the peak is the whole tree's.
_TREE = """
import subprocess, sys
hold = "import time; block = bytearray(64 * 2**20); time.sleep(0.6)"
subprocess.run([sys.executable, "-c", hold], check=True)
"""


def test_documents_are_deterministic_and_fill_the_budget():
    lexicon = Lexicon(seed=1, tail=5_000)
    first = list(documents(lexicon, 1, 50_000))
    again = list(documents(Lexicon(seed=1, tail=5_000), 1, 50_000))
    assert first == again
    assert sum(len(text) for _, text in first) >= 50_000
    assert len({doc_id for doc_id, _ in first}) == len(first)


def test_vocabulary_has_a_long_tail():
    lexicon = Lexicon(seed=0, tail=20_000)
    text = " ".join(text for _, text in documents(lexicon, 0, 300_000))
    words = text.lower().split()
    assert len(set(words)) > 5_000  # far beyond bench._prose's ~450 words
    assert words.count("the") > len(words) / 50  # and still led by function words


def test_peak_memory_counts_the_whole_process_tree(tmp_path: Path):
    run = timed_run([sys.executable, "-c", _TREE], tmp_path / "tree.log", memory=True)
    assert run.returncode == 0
    assert run.peak_bytes > 64 * 2**20


def test_memory_row_names_both_peaks_and_keeps_a_missing_side():
    ours = Side(2.0, 1.0, 10, 100, {"peak_mib": 512.0, "chars": 100_000_000})
    result = _memory_result(ours, Unavailable("anchor unavailable: skipped"))
    assert result.name == "tokenizer training, peak 512/- MiB"
    assert isinstance(result.ours, Side) and result.ours.rate == 200.0  # 100 MB per 0.5 GiB
    assert isinstance(result.theirs, Unavailable)
