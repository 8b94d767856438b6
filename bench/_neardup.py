"""A corpus with planted near-duplicates, its exact-Jaccard ground truth, and pair metrics.

Base documents are generated prose (``bench._prose``); a share of them get an edited copy
(words replaced, dropped or inserted at a random rate of 0-8%), so true Jaccard similarities
spread over roughly 0.5-1.0 and both sides of the 0.8 line are populated. Truth is the exact
Jaccard of 5-word shingle sets (words as Gleaner's normaliser sees them), computed for every
pair of documents that share a shingle occurring in at most ``_RARE`` documents (a pair at 0.8
shares hundreds of shingles, so none is missed this way).
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from bench._prose import NOUNS, paragraph
from pipeline.text import normalize

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

__all__ = ["Corpus", "make_corpus", "pair_metrics", "true_pairs"]

_WORD = re.compile(r"\w+")
_RARE = 20
THRESHOLD = 0.8


@dataclass(frozen=True, slots=True)
class Corpus:
    """Documents (id, text) in order; index in the list is the document number."""

    docs: list[tuple[str, str]]

    def write_jsonl(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w") as out:
            for doc_id, text in self.docs:
                out.write(json.dumps({"id": doc_id, "text": text}) + "\n")
        return path


def _edit(text: str, rate: float, rng: random.Random) -> str:
    out = []
    for word in text.split():
        roll = rng.random()
        if roll < rate / 3:
            continue  # dropped
        out.append(rng.choice(NOUNS) if roll < 2 * rate / 3 else word)
        if roll > 1 - rate / 3:
            out.append(rng.choice(NOUNS))  # inserted
    return " ".join(out)


def make_corpus(bases: int, seed: int = 0, share: float = 0.3) -> Corpus:
    rng = random.Random(seed)
    docs = []
    for i in range(bases):
        text = "\n\n".join(paragraph(rng, 4, 8) for _ in range(rng.randint(2, 5)))
        docs.append((f"base-{i:06d}", text))
        if rng.random() < share:
            docs.append((f"copy-{i:06d}", _edit(text, rng.uniform(0.0, 0.08), rng)))
    rng.shuffle(docs)
    return Corpus(docs)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(normalize(text))
    return {tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4))}


def true_pairs(corpus: Corpus, threshold: float = THRESHOLD) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, whose exact Jaccard is at least ``threshold``."""
    sets = [_shingles(text) for _, text in corpus.docs]
    holders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for number, shingles in enumerate(sets):
        for shingle in shingles:
            holders[shingle].append(number)
    candidates = {
        pair for docs in holders.values() if len(docs) <= _RARE for pair in combinations(docs, 2)
    }
    return {
        (i, j)
        for i, j in candidates
        if len(sets[i] & sets[j]) / len(sets[i] | sets[j]) >= threshold
    }


def cluster_pairs(clusters: Iterable[Iterable[int]]) -> set[tuple[int, int]]:
    """Every pair of documents put in the same cluster."""
    return {pair for members in clusters for pair in combinations(sorted(members), 2)}


def pair_metrics(
    predicted: set[tuple[int, int]], truth: set[tuple[int, int]]
) -> tuple[float, float]:
    """(recall, precision) of predicted duplicate pairs against the true ones."""
    hits = len(predicted & truth)
    recall = hits / len(truth) if truth else 1.0
    precision = hits / len(predicted) if predicted else 1.0
    return recall, precision
