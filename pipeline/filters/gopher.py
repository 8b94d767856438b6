"""Gopher's quality rules (Rae et al. 2021, appendix A): does the text read like prose?

Each threshold lives in :class:`QualityConfig`, and each failed rule drops the
document under its own reason, so the stats say which rule removed what.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline._checks import check_fields, ratio
from pipeline.document import Document
from pipeline.filters._text import words as split_words
from pipeline.step import Drop, FilterStep

__all__ = ["QualityConfig", "QualityFilter"]

# Gopher: real English prose uses these words at least twice. Counted as FineWeb ran it
# (datatrove): occurrences, lower case only, so a capitalised "The" in a title over a
# keyword-stuffed page does not rescue it.
_STOP_WORDS = frozenset({"the", "be", "to", "of", "and", "that", "have", "with"})
_BULLETS = ("\u2022", "-", "*", "\u25cf", "\u25aa")
_ELLIPSES = ("...", "\u2026")


@dataclass(frozen=True, slots=True)
class QualityConfig:
    """Thresholds of the quality rules (defaults follow Gopher)."""

    enabled: bool = True
    min_words: int = 50
    max_words: int = 100_000
    min_mean_word_length: float = 3.0
    max_mean_word_length: float = 10.0
    max_symbol_ratio: float = 0.1  # symbols per word: may exceed 1
    min_alpha_word_ratio: float = ratio(0.8)
    min_stop_words: int = 2
    max_bullet_line_ratio: float = ratio(0.9)
    max_ellipsis_line_ratio: float = ratio(0.3)

    def __post_init__(self) -> None:
        check_fields(self)


class QualityFilter(FilterStep):
    """Drop texts that are too short, too long, or do not read like prose."""

    name = "quality"

    def __init__(self, config: QualityConfig | None = None) -> None:
        super().__init__()
        self.config = config or QualityConfig()

    def decide(self, doc: Document) -> Drop | None:
        if doc.is_licensed:  # a licensor's text is taken as delivered
            return None
        words = split_words(doc.text)
        return self._length(words) or self._symbols(doc.text, words) or self._lines(doc.text)

    def _length(self, words: list[str]) -> Drop | None:
        cfg = self.config
        if len(words) < cfg.min_words:
            return Drop("too_few_words")
        if len(words) > cfg.max_words:
            return Drop("too_many_words")
        mean = sum(len(w) for w in words) / len(words)
        if not cfg.min_mean_word_length <= mean <= cfg.max_mean_word_length:
            return Drop("mean_word_length")
        return None

    def _symbols(self, text: str, words: list[str]) -> Drop | None:
        cfg = self.config
        hashes = text.count("#")
        ellipses = text.count("...") + text.count("\u2026")
        if max(hashes, ellipses) / len(words) > cfg.max_symbol_ratio:
            return Drop("symbol_ratio")
        # Tokens that are words at all: a word with no letter is a number or a code.
        tokens = text.split()
        alpha = sum(1 for w in tokens if any(c.isalpha() for c in w))
        if alpha / max(len(tokens), 1) < cfg.min_alpha_word_ratio:
            return Drop("alpha_ratio")
        if sum(1 for w in words if w in _STOP_WORDS) < cfg.min_stop_words:
            return Drop("stop_words")
        return None

    def _lines(self, text: str) -> Drop | None:
        cfg = self.config
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if not lines:
            return None
        bullets = sum(1 for line in lines if line.startswith(_BULLETS))
        if bullets / len(lines) > cfg.max_bullet_line_ratio:
            return Drop("bullet_lines")
        ellipsis = sum(1 for line in lines if line.endswith(_ELLIPSES))
        if ellipsis / len(lines) > cfg.max_ellipsis_line_ratio:
            return Drop("ellipsis_lines")
        return None
