"""C4's line and document rules (Raffel et al. 2020), as FineWeb applies them.

Line rules remove lines (counted under ``lines/<reason>``): boilerplate that
mentions javascript or cookie and privacy policies, lines with too few words
or an absurdly long word, and optionally lines without terminal punctuation.
Document rules drop the whole page: "lorem ipsum", a curly bracket (code, not
prose), too few sentences left. Citation markers such as ``[12]`` are cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline._checks import bounded, check_fields
from pipeline.document import Document
from pipeline.step import Drop, FilterStep

__all__ = ["C4Config", "C4Filter"]

_CITATION = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]+(?=[\"'\u201d\u2019)]*(?:\s|$))")
_TERMINAL = (".", "?", "!", '"', "'", "\u201d", "\u2019")
_POLICY = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)


@dataclass(frozen=True, slots=True)
class C4Config:
    """C4's switches and limits; FineWeb turns ``no_terminal_punct`` off.

    Each rule without a limit has a switch named after its drop reason, as datatrove's
    ``C4QualityFilter(filter_curly_bracket=...)`` has: ``curly_bracket = false`` keeps
    technical documentation, which that rule mostly drops.
    """

    enabled: bool = True
    lorem_ipsum: bool = True
    curly_bracket: bool = True
    javascript: bool = True
    policy: bool = True
    min_sentences: int = 5
    min_words_per_line: int = 3
    max_word_length: int = bounded(1000, 1)
    no_terminal_punct: bool = False
    remove_citations: bool = True

    def __post_init__(self) -> None:
        check_fields(self)


class C4Filter(FilterStep):
    """Remove boilerplate lines, then drop pages that are not prose."""

    name = "c4"

    def __init__(self, config: C4Config | None = None) -> None:
        super().__init__()
        self.config = config or C4Config()

    def decide(self, doc: Document) -> Drop | None:
        if doc.is_licensed:
            return None
        kept: list[str] = []
        sentences = 0
        for raw in doc.text.splitlines():
            line = raw.strip()
            if not line:
                continue
            lowered = line.lower()
            if self.config.lorem_ipsum and "lorem ipsum" in lowered:
                return Drop("lorem_ipsum")
            if self.config.curly_bracket and "{" in line:
                return Drop("curly_bracket")
            cleaned = self._line(line, lowered)
            if cleaned:
                kept.append(cleaned)
                sentences += len(_SENTENCE_END.findall(cleaned))
        if sentences < self.config.min_sentences:
            return Drop("too_few_sentences")
        doc.text = "\n".join(kept)
        return None

    def _line(self, line: str, lowered: str) -> str | None:
        """The line as kept, or None after counting why it was removed."""
        cfg = self.config
        reason = None
        tokens = line.split()
        if any(len(w) > cfg.max_word_length for w in tokens):
            reason = "too_long_word"
        elif len(tokens) < cfg.min_words_per_line:
            reason = "too_few_words"
        elif cfg.javascript and "javascript" in lowered:
            reason = "javascript"
        elif cfg.policy and any(p in lowered for p in _POLICY):
            reason = "policy"
        else:
            if cfg.remove_citations:
                line = _CITATION.sub("", line)
            if cfg.no_terminal_punct and (not line.endswith(_TERMINAL) or line.endswith("...")):
                reason = "no_terminal_punct"
        if reason:
            self.stats.add(f"lines/{reason}")
            return None
        return line
