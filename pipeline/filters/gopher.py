"""Gopher's quality rules (Rae et al. 2021, appendix A): does the text read like prose?

Each threshold lives in :class:`QualityConfig`, and each failed rule drops the
document under its own reason, so the stats say which rule removed what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain

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

#: A rule's test, given the config: True when the text fails it.
Rule = Callable[["QualityConfig"], bool]


@dataclass(frozen=True, slots=True)
class QualityConfig:
    """Thresholds of the quality rules (defaults follow Gopher), and a switch per rule
    named after its drop reason (``bullet_lines = false`` keeps list-heavy pages)."""

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
    too_few_words: bool = True
    too_many_words: bool = True
    mean_word_length: bool = True
    symbol_ratio: bool = True
    alpha_ratio: bool = True
    stop_words: bool = True
    bullet_lines: bool = True
    ellipsis_lines: bool = True

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
        text, words = doc.text, split_words(doc.text)
        # Generators: a group's counts are only made if no earlier rule dropped the text.
        rules = chain(self._length(words), self._symbols(text, words), _lines(text))
        for reason, failed in rules:
            if getattr(self.config, reason) and failed(self.config):
                return Drop(reason)
        return None

    def _length(self, words: list[str]) -> Iterator[tuple[str, Rule]]:
        count = max(len(words), 1)  # a switched-off length rule lets an empty text through
        mean = sum(len(w) for w in words) / count
        yield from [
            ("too_few_words", lambda cfg: len(words) < cfg.min_words),
            ("too_many_words", lambda cfg: len(words) > cfg.max_words),
            (
                "mean_word_length",
                lambda cfg: not cfg.min_mean_word_length <= mean <= cfg.max_mean_word_length,
            ),
        ]

    def _symbols(self, text: str, words: list[str]) -> Iterator[tuple[str, Rule]]:
        count = max(len(words), 1)
        symbols = max(text.count("#"), text.count("...") + text.count("\u2026"))
        # Tokens that are words at all: a word with no letter is a number or a code.
        tokens = text.split()
        alpha = sum(1 for w in tokens if any(c.isalpha() for c in w)) / max(len(tokens), 1)
        stop = sum(1 for w in words if w in _STOP_WORDS)
        yield from [
            ("symbol_ratio", lambda cfg: symbols / count > cfg.max_symbol_ratio),
            ("alpha_ratio", lambda cfg: alpha < cfg.min_alpha_word_ratio),
            ("stop_words", lambda cfg: stop < cfg.min_stop_words),
        ]


def _lines(text: str) -> Iterator[tuple[str, Rule]]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    count = max(len(lines), 1)  # no line: neither rule can fail
    bullets = sum(1 for line in lines if line.startswith(_BULLETS)) / count
    ellipsis = sum(1 for line in lines if line.endswith(_ELLIPSES)) / count
    yield from [
        ("bullet_lines", lambda cfg: bullets > cfg.max_bullet_line_ratio),
        ("ellipsis_lines", lambda cfg: ellipsis > cfg.max_ellipsis_line_ratio),
    ]
