"""FineWeb's own quality rules (Penedo et al. 2024), found by ablation on Common Crawl.

Lists of short lines (menus, link farms), lines that rarely end a sentence,
lines repeated within the page, and texts that are mostly line breaks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline._checks import check_fields, ratio
from pipeline.document import Document
from pipeline.filters._text import duplicates, words
from pipeline.step import Drop, FilterStep

__all__ = ["FineWebConfig", "FineWebFilter"]

_TERMINAL = (".", "?", "!", '"', "'", "\u201d", "\u2019", "\u2026", ")", ":", ";")


@dataclass(frozen=True, slots=True)
class FineWebConfig:
    """FineWeb's thresholds (datatrove ``FineWebQualityFilter`` defaults), and a switch per
    rule named after its drop reason (``short_line_ratio = false`` keeps menus and lists)."""

    enabled: bool = True
    min_terminal_line_ratio: float = ratio(0.12)
    max_short_line_ratio: float = ratio(0.67)
    short_line_chars: int = 30
    max_duplicate_line_char_ratio: float = ratio(0.01)
    max_newline_word_ratio: float = 0.3  # newlines per word: may exceed 1
    terminal_line_ratio: bool = True
    short_line_ratio: bool = True
    duplicate_line_chars: bool = True
    newline_ratio: bool = True

    def __post_init__(self) -> None:
        check_fields(self)


class FineWebFilter(FilterStep):
    """Drop list-like, menu-like and repetitive pages."""

    name = "fineweb"

    def __init__(self, config: FineWebConfig | None = None) -> None:
        super().__init__()
        self.config = config or FineWebConfig()

    def decide(self, doc: Document) -> Drop | None:
        if doc.is_licensed:
            return None
        rows = [line for line in doc.text.split("\n") if line.strip()]
        if not rows:
            return Drop("empty")
        for reason, failed in self._rules(doc.text, rows):
            if getattr(self.config, reason) and failed():
                return Drop(reason)
        return None

    def _rules(self, text: str, rows: list[str]) -> list[tuple[str, Callable[[], bool]]]:
        """Each rule, in FineWeb's order, as its drop reason and a test run only if on."""
        cfg = self.config
        chars = max(len(text) - text.count("\n"), 1)
        return [
            (
                "terminal_line_ratio",
                lambda: (
                    sum(1 for r in rows if r.endswith(_TERMINAL)) / len(rows)
                    < cfg.min_terminal_line_ratio
                ),
            ),
            (
                "short_line_ratio",
                lambda: (
                    sum(1 for r in rows if len(r) <= cfg.short_line_chars) / len(rows)
                    > cfg.max_short_line_ratio
                ),
            ),
            (
                "duplicate_line_chars",
                lambda: duplicates(rows)[1] / chars > cfg.max_duplicate_line_char_ratio,
            ),
            (
                "newline_ratio",
                lambda: text.count("\n") / max(len(words(text)), 1) > cfg.max_newline_word_ratio,
            ),
        ]
