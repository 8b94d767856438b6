"""Text normalisation for exact deduplication, and simple text statistics.

Every document goes through here once per build, so the common case is kept
off Python-level loops: words are the ``\\w+`` runs, found by one
``bytes.translate`` that turns every ASCII non-word byte into a space and one
``split``. A run holding non-ASCII bytes (rare outside non-Latin scripts) is
split again with the regex, so the result is exactly ``re.findall(r"\\w+")``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

__all__ = ["TextStats", "analyse", "normalize", "text_sha256", "word_count", "words_of"]

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s")  # exactly the characters str.split() splits on
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# ASCII non-word bytes become spaces; bytes >= 0x80 (UTF-8 of non-ASCII) stay for the regex.
_SPLIT = bytes(c if c in _WORD_BYTES or c >= 0x80 else 0x20 for c in range(256))
_SPLIT_LOWER = _SPLIT.lower()
_ASCII = bytes(range(128))
# Every byte str.split() splits on (bytes.split() also, and \x1c-\x1f) becomes a space,
# ASCII letters lower case: whitespace is then collapsed by replacing double spaces.
_SPACES_LOWER = bytes(
    0x20 if c in b" \t\n\r\x0b\x0c" or 0x1C <= c <= 0x1F else c for c in range(256)
).lower()


def normalize(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: two copies that differ only in
    layout or case normalise to the same string. Idempotent."""
    raw = text.encode("utf-8", "surrogatepass")
    return _normalized(text, raw).decode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class TextStats:
    """What the build needs of a text, each computed once: its normalised form
    (UTF-8), the words of that form (the shingles' words) and its own word count."""

    normalized: bytes
    words: list[bytes]
    word_count: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.normalized).hexdigest()


def analyse(text: str) -> TextStats:
    """Normalised text, its words and the raw text's word count, in one pass where ASCII."""
    raw = text.encode("utf-8", "surrogatepass")
    if text.isascii():
        words = raw.translate(_SPLIT_LOWER).split()
        return TextStats(_normalized(text, raw), words, len(words))
    folded = _Folded(text)
    words = words_of(folded.normalized)
    # Same \w+ runs as the raw text when folding only lowered ASCII and moved spaces.
    count = len(words) if folded.only_ascii_changed else _count(raw)
    return TextStats(folded.normalized, words, count)


def _normalized(text: str, raw: bytes) -> bytes:
    if text.isascii():  # NFKC and case folding are lower() here: no str work needed
        return _collapsed(raw.translate(_SPACES_LOWER))
    return _Folded(text).normalized


def _collapsed(spaced: bytes) -> bytes:
    """``b" ".join(spaced.split())`` for text whose whitespace is all spaces, without a
    bytes object per word (about half the time): a few C passes halve each run of spaces."""
    while b"  " in spaced:
        spaced = spaced.replace(b"  ", b" ")
    return spaced.strip(b" ")


class _Folded:
    """NFKC, case folding and whitespace collapsing of a text holding non-ASCII characters.

    ``str.casefold`` and ``str.split`` on a whole text cost several times their ASCII
    byte equivalents, and such texts are mostly ASCII: fold the ASCII bytes with one
    ``translate`` and case-fold only the non-ASCII runs (case folding is per character,
    and a UTF-8 run of bytes >= 0x80 holds whole characters), turning the Unicode spaces
    in them into ASCII ones so one ``bytes.split`` collapses every space ``str.split``
    would have.
    """

    __slots__ = ("normalized", "only_ascii_changed")

    def __init__(self, text: str) -> None:
        composed = unicodedata.normalize("NFKC", text)
        self.only_ascii_changed = composed == text
        raw = composed.encode("utf-8", "surrogatepass").translate(_SPACES_LOWER)
        extra = _non_ascii(raw)
        if extra.casefold() == extra and not _SPACE.search(extra):
            # The common case: letters such as "ö" that fold to themselves, no Unicode space.
            self.normalized = _collapsed(raw)
            return
        parts: list[bytes] = []
        done = 0
        for start, end in _non_ascii_runs(raw):
            run = raw[start:end].decode("utf-8", "surrogatepass")
            folded = run.casefold()
            if folded != run:
                self.only_ascii_changed = False
            elif not _SPACE.search(run):
                continue  # the common case: a letter such as "ö" that folds to itself
            parts += (raw[done:start], _SPACE.sub(" ", folded).encode("utf-8", "surrogatepass"))
            done = end
        if parts:
            raw = b"".join([*parts, raw[done:]])
        self.normalized = b" ".join(raw.split())


def _non_ascii(utf8: bytes) -> str:
    """Every non-ASCII character of UTF-8 text, in order (one C call to drop the rest)."""
    return utf8.translate(None, _ASCII).decode("utf-8", "surrogatepass")


def _non_ascii_runs(utf8: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of bytes >= 0x80, found by numpy (few per text)."""
    at = np.flatnonzero(np.frombuffer(utf8, dtype=np.uint8) >= 0x80)
    if not len(at):
        return
    breaks = np.flatnonzero(np.diff(at) > 1)
    starts = [int(at[0]), *(at[breaks + 1]).tolist()]
    ends = [*(at[breaks] + 1).tolist(), int(at[-1]) + 1]
    yield from zip(starts, ends, strict=True)


def words_of(utf8: bytes) -> list[bytes]:
    """The ``\\w+`` runs of UTF-8 text, as UTF-8 bytes."""
    spaced = utf8.translate(_SPLIT)
    if utf8.isascii() or _non_ascii(utf8).isalnum():  # no non-ASCII punctuation to split on
        return spaced.split()
    words: list[bytes] = []
    done = 0
    for start, end, found in _irregular_runs(spaced):  # few: split the rest in C
        words += spaced[done:start].split()
        words += [w.encode("utf-8", "surrogatepass") for w in found]
        done = end
    return words + spaced[done:].split() if done else spaced.split()


def _count(utf8: bytes) -> int:
    spaced = utf8.translate(_SPLIT)
    if utf8.isascii() or _non_ascii(utf8).isalnum():
        return len(spaced.split())
    return len(spaced.split()) + sum(len(f) - 1 for _, _, f in _irregular_runs(spaced))


def _irregular_runs(spaced: bytes) -> Iterator[tuple[int, int, list[str]]]:
    """(start, end, words) of each run holding non-ASCII text that is not one word
    (punctuation such as dashes and curly quotes); ``café`` or ``tromsø`` are left alone."""
    done = 0
    # numpy finds the non-ASCII bytes ~50x faster than a regex character class scan.
    for at in np.flatnonzero(np.frombuffer(spaced, dtype=np.uint8) >= 0x80).tolist():
        if at < done:
            continue  # in the run just looked at
        start = spaced.rfind(b" ", 0, at) + 1
        end = spaced.find(b" ", at)
        done = end = len(spaced) if end < 0 else end
        run = spaced[start:end].decode("utf-8", "surrogatepass")
        if not run.isalnum():  # True exactly when every character matches \\w (but "_")
            yield start, end, _WORD.findall(run)


def text_sha256(text: str) -> str:
    """The exact-duplicate key: sha256 of the normalised text."""
    raw = text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(_normalized(text, raw)).hexdigest()


def word_count(text: str) -> int:
    """The number of ``\\w+`` runs of the text."""
    return _count(text.encode("utf-8", "surrogatepass"))
