"""Shared text splitting for the filters: words, lines, paragraphs, duplicates."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["PUNCTUATION", "duplicates", "lines", "paragraphs", "words"]

#: Word-like tokens; punctuation-only tokens are not words for any rule here.
_WORD = re.compile(r"\w+(?:['\u2019.-]\w+)*")
_PARAGRAPH = re.compile(r"\n{2,}")
_LINE = re.compile(r"\n+")

PUNCTUATION = frozenset(
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u2013\u2014\u2018\u2019\u201c\u201d\u2026"
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def lines(text: str) -> list[str]:
    return _LINE.split(text.strip())


def paragraphs(text: str) -> list[str]:
    return _PARAGRAPH.split(text.strip())


def duplicates(items: Iterable[str]) -> tuple[int, int]:
    """How many items repeat an earlier one, and how many characters those repeats hold."""
    seen: set[str] = set()
    count = chars = 0
    for item in items:
        if item in seen:
            count += 1
            chars += len(item)
        else:
            seen.add(item)
    return count, chars
