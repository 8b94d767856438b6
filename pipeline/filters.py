"""Quality rules after extraction, in the spirit of Gopher's quality filter.

Each threshold lives in :class:`QualityConfig`, and each failed rule drops the
document under its own reason, so the stats say which rule removed what.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.document import Document
from pipeline.step import Drop, FilterStep

__all__ = ["QualityConfig", "QualityFilter"]

# Gopher: real English prose uses at least two of these.
_STOP_WORDS = frozenset({"the", "be", "to", "of", "and", "that", "have", "with"})


@dataclass(frozen=True, slots=True)
class QualityConfig:
    """Thresholds of the quality rules (defaults follow Gopher where it has one)."""

    min_words: int = 50
    max_words: int = 100_000
    min_mean_word_length: float = 3.0
    max_mean_word_length: float = 10.0
    max_symbol_ratio: float = 0.1
    min_alpha_word_ratio: float = 0.8
    min_stop_words: int = 2
    max_ellipsis_line_ratio: float = 0.3


class QualityFilter(FilterStep):
    """Drop texts that are too short, too long, or do not read like prose."""

    name = "quality"

    def __init__(self, config: QualityConfig | None = None) -> None:
        super().__init__()
        self.config = config or QualityConfig()

    def decide(self, doc: Document) -> Drop | None:
        if doc.is_licensed:  # a licensor's text is taken as delivered
            return None
        words = doc.text.split()
        return self._length(words) or self._shape(doc.text, words)

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

    def _shape(self, text: str, words: list[str]) -> Drop | None:
        cfg = self.config
        symbols = text.count("#") + text.count("...") + text.count("\u2026")
        if symbols / len(words) > cfg.max_symbol_ratio:
            return Drop("symbol_ratio")
        alpha = sum(1 for w in words if any(c.isalpha() for c in w))
        if alpha / len(words) < cfg.min_alpha_word_ratio:
            return Drop("alpha_ratio")
        if len(_STOP_WORDS.intersection(w.lower() for w in words)) < cfg.min_stop_words:
            return Drop("stop_words")
        lines = [line for line in text.splitlines() if line.strip()]
        ellipsis = sum(1 for line in lines if line.rstrip().endswith(("...", "\u2026")))
        if lines and ellipsis / len(lines) > cfg.max_ellipsis_line_ratio:
            return Drop("ellipsis_lines")
        return None
