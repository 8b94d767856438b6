"""Gopher's repetition rules: pages that say the same thing over and over.

Duplicate lines and paragraphs (by count and by characters), the share of the
text taken by the most frequent 2-, 3- and 4-gram, and the share covered by
5- to 10-grams that occur more than once. N-grams are hashed into ``uint64``
arrays so each rule is a few numpy passes, not a Python loop per n-gram; a
duplicate n-gram's characters are counted once however many repeats overlap
them (the paper's definition; datatrove's greedy scan approximates it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pipeline._checks import check_fields, ratio
from pipeline.document import Document
from pipeline.errors import ConfigError
from pipeline.filters._text import duplicates, lines, paragraphs, words
from pipeline.step import Drop, FilterStep

__all__ = ["RepetitionConfig", "RepetitionFilter", "duplicate_ngram_chars", "top_ngram_chars"]

_U64 = npt.NDArray[np.uint64]
_I64 = npt.NDArray[np.int64]
#: Gopher's n-gram rules stop at 10; beyond 50 words an n-gram rule is certainly a typo.
_MAX_NGRAM = 50
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: positions mix, ids stay distinct


@dataclass(frozen=True, slots=True)
class RepetitionConfig:
    """Gopher's thresholds; ``(n, fraction)`` pairs for the n-gram rules."""

    enabled: bool = True
    max_duplicate_line_ratio: float = ratio(0.3)
    max_duplicate_paragraph_ratio: float = ratio(0.3)
    max_duplicate_line_char_ratio: float = ratio(0.2)
    max_duplicate_paragraph_char_ratio: float = ratio(0.2)
    top_ngrams: tuple[tuple[int, float], ...] = ((2, 0.2), (3, 0.18), (4, 0.16))
    duplicate_ngrams: tuple[tuple[int, float], ...] = (
        (5, 0.15),
        (6, 0.14),
        (7, 0.13),
        (8, 0.12),
        (9, 0.11),
        (10, 0.10),
    )

    def __post_init__(self) -> None:
        check_fields(self)
        for key in ("top_ngrams", "duplicate_ngrams"):
            for n, share in getattr(self, key):
                if not (1 <= n <= _MAX_NGRAM and share <= 1):
                    raise ConfigError(
                        f"{key} ({(n, share)!r}) must pair an n-gram size from 1 to "
                        f"{_MAX_NGRAM} with a share from 0 to 1"
                    )


def _hashes(ids: _U64, n: int) -> _U64:
    """One hash per n-gram of word ids (wrapping uint64 arithmetic, deterministic)."""
    count = len(ids) - n + 1
    out = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            out = out * _MIX + ids[k : k + count]
    return out


def top_ngram_chars(ids: _U64, lengths: _I64, n: int) -> int:
    """Characters of the most frequent n-gram times its count (0 if none repeats)."""
    if len(ids) < n:
        return 0
    _, first, counts = np.unique(_hashes(ids, n), return_index=True, return_counts=True)
    if counts.max() < 2:
        return 0
    cum = np.concatenate(([0], np.cumsum(lengths)))
    chars = cum[first + n] - cum[first] + (n - 1)  # words joined by single spaces
    best = counts == counts.max()
    return int((chars[best] * counts[best]).max())


def duplicate_ngram_chars(ids: _U64, lengths: _I64, n: int) -> int:
    """Characters of the words covered by any repeated occurrence of an n-gram."""
    if len(ids) < n:
        return 0
    hashes = _hashes(ids, n)
    _, first = np.unique(hashes, return_index=True)
    repeat = np.ones(len(hashes), dtype=bool)
    repeat[first] = False
    starts = np.flatnonzero(repeat)
    if not len(starts):
        return 0
    delta = np.zeros(len(ids) + 1, dtype=np.int64)
    np.add.at(delta, starts, 1)
    np.add.at(delta, starts + n, -1)
    return int(lengths[np.cumsum(delta)[:-1] > 0].sum())


def word_arrays(tokens: list[str]) -> tuple[_U64, _I64]:
    """Word ids (first-seen order) and word lengths as arrays."""
    vocab: dict[str, int] = {}
    ids = np.fromiter((vocab.setdefault(w, len(vocab)) for w in tokens), np.uint64, len(tokens))
    return ids, np.fromiter((len(w) for w in tokens), np.int64, len(tokens))


class RepetitionFilter(FilterStep):
    """Drop texts with too many repeated lines, paragraphs or n-grams."""

    name = "repetition"

    def __init__(self, config: RepetitionConfig | None = None) -> None:
        super().__init__()
        self.config = config or RepetitionConfig()

    def decide(self, doc: Document) -> Drop | None:
        if doc.is_licensed or not doc.text.strip():
            return None
        return self._blocks(doc.text) or self._ngrams(doc.text)

    def _blocks(self, text: str) -> Drop | None:
        cfg = self.config
        size = len(text)
        paras = paragraphs(text)
        count, chars = duplicates(paras)
        if count / len(paras) > cfg.max_duplicate_paragraph_ratio:
            return Drop("duplicate_paragraphs")
        if chars / size > cfg.max_duplicate_paragraph_char_ratio:
            return Drop("duplicate_paragraph_chars")
        rows = lines(text)
        count, chars = duplicates(rows)
        if count / len(rows) > cfg.max_duplicate_line_ratio:
            return Drop("duplicate_lines")
        if chars / size > cfg.max_duplicate_line_char_ratio:
            return Drop("duplicate_line_chars")
        return None

    def _ngrams(self, text: str) -> Drop | None:
        ids, lengths = word_arrays(words(text))
        size = len(text)
        for n, limit in self.config.top_ngrams:
            if top_ngram_chars(ids, lengths, n) / size > limit:
                return Drop(f"top_{n}_gram")
        for n, limit in self.config.duplicate_ngrams:
            if duplicate_ngram_chars(ids, lengths, n) / size > limit:
                return Drop(f"duplicate_{n}_grams")
        return None
