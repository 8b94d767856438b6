"""Text normalisation for exact deduplication, and simple text statistics."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["normalize", "text_sha256", "word_count"]

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: two copies that differ only in
    layout or case normalise to the same string. Idempotent."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def text_sha256(text: str) -> str:
    """The exact-duplicate key: sha256 of the normalised text."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(_WORD.findall(text))
