"""Mixture weights: how much each source and language counts, read once for every stage
that samples a dataset version (tokenizer training, token shards).

A weight is given per source (``web`` and each licensed corpus by name) and per language
(``lang:fr``); a document's weight is its source's times its language's, each 1 when not
named. Weights are finite numbers >= 0; 0 leaves a source or language out.

:func:`copies` turns a weight into a whole number of copies of one document, fixed by a
seed and the document's id: ``floor(w)`` copies, plus one more when the document's draw
falls under the fraction ``w - floor(w)``. So 2.5 repeats every document twice and half of
them three times, 0.3 keeps three documents in ten, and the same seed and weight always
choose the same documents, whatever order they are read in.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pipeline.errors import ConfigError

__all__ = ["LANGUAGE_PREFIX", "Mixture", "copies", "draw"]

#: ``lang:fr=0.5`` weighs French documents; anything else names a source.
LANGUAGE_PREFIX = "lang:"


@dataclass(frozen=True)
class Mixture:
    """Weights per source and per language, and the seed that fixes which documents."""

    sources: Mapping[str, float] = field(default_factory=dict)
    languages: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self) -> None:
        for name, weight in [*self.sources.items(), *self.languages.items()]:
            if not (isinstance(weight, int | float) and math.isfinite(weight) and weight >= 0):
                raise ConfigError(f"weight of {name!r} ({weight!r}) must be a number >= 0")

    @classmethod
    def parse(cls, pairs: Iterable[str], seed: int = 0) -> Mixture:
        """``["web=2", "lang:fr=0.5"]`` -> a mixture; a malformed pair is a ConfigError."""
        sources: dict[str, float] = {}
        languages: dict[str, float] = {}
        for pair in pairs:
            name, sep, value = pair.partition("=")
            name = name.strip()
            try:
                weight = float(value)
            except ValueError:
                weight = math.nan
            if not sep or not name or name == LANGUAGE_PREFIX or not math.isfinite(weight):
                raise ConfigError(f"weight {pair!r}: expected SOURCE=W or lang:CODE=W")
            if name.startswith(LANGUAGE_PREFIX):
                languages[name.removeprefix(LANGUAGE_PREFIX)] = weight
            else:
                sources[name] = weight
        return cls(sources, languages, seed)

    def weight(self, source: str, language: str | None) -> float:
        """The weight of a document of ``source`` in ``language`` (None: unknown)."""
        by_language = self.languages.get(language, 1.0) if language is not None else 1.0
        return self.sources.get(source, 1.0) * by_language

    def check_known(self, sources: Iterable[str], languages: Iterable[str | None]) -> None:
        """A weight naming a source or language the version lacks is likely a typo."""
        unknown = sorted(set(self.sources) - set(sources))
        known_languages = {lang for lang in languages if lang is not None}
        unknown += sorted(LANGUAGE_PREFIX + x for x in set(self.languages) - known_languages)
        if unknown:
            have = ", ".join(sorted(set(sources))) or "none"
            raise ConfigError(
                f"no {', '.join(unknown)} in this version (sources: {have}; "
                f"languages: {', '.join(sorted(known_languages)) or 'none'})"
            )

    def to_json(self) -> dict[str, Any]:
        """The mixture as recorded in cards and manifests (keys sorted)."""
        return {
            "sources": dict(sorted(self.sources.items())),
            "languages": dict(sorted(self.languages.items())),
            "seed": self.seed,
        }


def draw(seed: int, doc_id: str, salt: str = "") -> float:
    """A uniform number in [0, 1) fixed by the seed, the document id and a salt."""
    key = f"{seed}\x00{salt}\x00{doc_id}" if salt else f"{seed}\x00{doc_id}"
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def copies(weight: float, seed: int, doc_id: str) -> int:
    """How many copies of the document ``doc_id`` a ``weight`` asks for (see module)."""
    whole = math.floor(weight)
    return whole + (1 if draw(seed, doc_id, "copies") < weight - whole else 0)
