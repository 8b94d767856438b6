"""Compile a robots.txt path pattern into a linear-time matcher (RFC 9309 §2.2.3).

``*`` matches any run of characters and ``$`` anchors the end, only as the last character.
Instead of a regular expression (which can backtrack badly on ``/*a*a*a…``), a pattern is
split on ``*`` and the pieces are found left to right with ``str.find``: the leftmost
occurrence of each piece always leaves the most room for the rest, so the greedy scan is
exact and each piece costs one linear search. Runs of ``*`` collapse, so ``/*****…*`` is
as cheap as ``/*``.
"""

from __future__ import annotations

from functools import lru_cache

from policies._percent import canonical_pattern

__all__ = ["Pattern", "compile_pattern"]


class Pattern:
    """A canonicalised pattern; ``length`` is its octet length, the RFC's specificity, and
    ``head`` the literal text every match must start with."""

    __slots__ = ("_anchored", "_last", "_middle", "has_wildcard", "head", "length", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        self._anchored = text.endswith("$")
        body = text[:-1] if self._anchored else text
        pieces = [piece for piece in body.split("*")]
        self.has_wildcard = len(pieces) > 1
        self.head = pieces[0]
        self._middle = tuple(piece for piece in pieces[1:-1] if piece)
        self._last = pieces[-1] if self.has_wildcard else ""

    def matches(self, target: str) -> bool:
        """Return True if the canonical ``target`` matches this pattern."""
        if not self.has_wildcard:
            return target == self.head if self._anchored else target.startswith(self.head)
        if not target.startswith(self.head):
            return False
        position = len(self.head)
        for piece in self._middle:
            found = target.find(piece, position)
            if found < 0:
                return False
            position = found + len(piece)
        if self._anchored:
            return len(target) - len(self._last) >= position and target.endswith(self._last)
        return not self._last or target.find(self._last, position) >= 0

    def __repr__(self) -> str:
        return f"Pattern({self.text!r})"


@lru_cache(maxsize=8192)
def compile_pattern(raw: str) -> Pattern | None:
    """Compile a rule value; None for values that can match nothing.

    Empty values match nothing (RFC 9309: an empty ``Disallow:`` allows all). Values that are
    not paths (``Disallow: http://host/``) match nothing either, since every match target
    starts with ``/``; a value starting with ``*`` is a valid pattern.
    """
    if not raw or raw[0] not in "/*":
        return None
    return Pattern(canonical_pattern(raw))
