"""A generated licensed corpus of ~3 KB documents, for the build's speed and memory rows.

Words are drawn with Zipf frequencies from ``bench._lexicon``'s ranked lexicon, a chunk of
documents at a time with numpy, so a million documents (3 GB of text) take minutes, not hours.
Like a real corpus it holds some duplicates: every 100th document repeats an earlier one
exactly and every 50th is a near copy (a sentence's worth of words replaced), so dedup does its
whole job. The folder is kept and reused while its parameters (``params.json``) match.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench._lexicon import Lexicon

__all__ = ["LicensedCorpus", "ensure_licensed_corpus"]

PARAMS_FILE = "params.json"
_FORMAT = 2  # bump when the generator changes
_WORDS = 480  # ~3 KB of text per document
_SENTENCE = 16  # words per sentence
_PARAGRAPH = 6  # sentences per paragraph
_CHUNK = 2_000  # documents drawn at once
_MANIFEST_TEMPLATE = """\
[corpus]
name = "{name}"
licensor = "Gleaner benchmark"
license = "LicenseRef-Gleaner-Bench"
training_allowed = true
valid_from = 2024-01-01
valid_until = 2099-12-31
{extra}
[[files]]
path = "documents.jsonl"
format = "jsonl"

[files.fields]
id = "id"
text = "text"
"""


def corpus_manifest(name: str, attribution: str | None = None) -> str:
    """The manifest of a generated corpus: one ``documents.jsonl`` of ``id`` and ``text``."""
    extra = f'attribution = "{attribution}"\n' if attribution else ""
    return _MANIFEST_TEMPLATE.format(name=name, extra=extra)


_MANIFEST = corpus_manifest("bench-large")


@dataclass(frozen=True, slots=True)
class LicensedCorpus:
    """A generated corpus: its manifest and how many documents it holds."""

    manifest: Path
    docs: int


def ensure_licensed_corpus(folder: Path, docs: int, seed: int = 0) -> LicensedCorpus:
    """The corpus under ``folder`` for these parameters, generated if missing."""
    params = {"format": _FORMAT, "docs": docs, "seed": seed}
    recorded = folder / PARAMS_FILE
    if not (recorded.exists() and json.loads(recorded.read_text()) == params):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        _write(folder / "documents.jsonl", docs, seed)
        (folder / "manifest.toml").write_text(_MANIFEST, encoding="utf-8")
        recorded.write_text(json.dumps(params) + "\n")
    return LicensedCorpus(folder / "manifest.toml", docs)


def _write(path: Path, docs: int, seed: int) -> None:
    lexicon = Lexicon(seed)
    size = len(lexicon.words)
    # Each word three ways: plain, ending a sentence, ending a paragraph; one join per document.
    spellings = [*lexicon.words, *(w + "." for w in lexicon.words)]
    spellings += [w + ".\n\n" for w in lexicon.words]
    words = np.array(spellings, dtype=object)
    rng = np.random.default_rng(seed)
    previous = ""
    with path.open("w", encoding="utf-8") as out:
        for start in range(0, docs, _CHUNK):
            count = min(_CHUNK, docs - start)
            ranks = np.searchsorted(lexicon.cumulative, rng.random((count, _WORDS)))
            ranks[:, _SENTENCE - 1 :: _SENTENCE] += size
            ranks[:, _SENTENCE * _PARAGRAPH - 1 :: _SENTENCE * _PARAGRAPH] += size
            for offset, row in enumerate(words[ranks]):
                number = start + offset
                text = _text(row, rng, previous, number)
                out.write(json.dumps({"id": f"doc-{number:08d}", "text": text}) + "\n")
                previous = text


def _text(row: np.ndarray, rng: np.random.Generator, previous: str, number: int) -> str:
    if number % 100 == 99:
        return previous  # an exact copy
    if number % 50 == 49:
        tokens = previous.split(" ")
        at = int(rng.integers(0, max(1, len(tokens) - _SENTENCE)))
        tokens[at : at + _SENTENCE // 2] = [w.rstrip(".\n") for w in row[: _SENTENCE // 2]]
        return " ".join(tokens)  # a near copy: half a sentence replaced
    return " ".join(row.tolist()).replace("\n ", "\n").rstrip()
