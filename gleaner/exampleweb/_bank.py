"""The content bank and the deterministic composer that turns it into articles.

Articles draw three to five paragraphs from one topic of ``bank.toml`` with a fixed seed. Two
articles of a topic may share paragraphs, but never more than 40% of their combined set (two
of a three- and a four-paragraph article), so the only near-duplicates on the example web are the
ones planted on purpose.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from itertools import combinations
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ._model import Article

__all__ = [
    "MIN_ARTICLE_WORDS",
    "ArticleComposer",
    "Bank",
    "SiteTexts",
    "Topic",
    "load_bank",
    "load_site_texts",
    "near_duplicate",
]

_HERE = Path(__file__).parent
MIN_ARTICLE_WORDS = 250
_SEED = 20261130
_NEWEST = date(2026, 10, 30)  # publication dates count back from here, never from today
_MAX_SHARED = 0.4  # largest paragraph-set Jaccard allowed between two articles
_SIZES = (3, 4, 4, 5)  # wanted paragraphs per article, drawn with the seeded generator
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True, slots=True)
class Topic:
    slug: str
    name: str
    titles: tuple[str, ...]
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Bank:
    topics: Mapping[str, Topic]
    authors: tuple[str, ...]
    replacements: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SiteTexts:
    """A publisher's boilerplate from ``sites.toml``."""

    site_name: str
    tagline: str
    cookie: str
    newsletter: str
    footer: str
    texts: Mapping[str, tuple[str, ...]]


def _read_toml(name: str) -> dict[str, Any]:
    with (_HERE / name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def load_bank() -> Bank:
    """The paragraph bank, parsed once per process."""
    raw = _read_toml("bank.toml")
    topics = {
        t["slug"]: Topic(t["slug"], t["name"], tuple(t["titles"]), tuple(t["paragraphs"]))
        for t in raw["topics"]
    }
    for topic in topics.values():
        if len(topic.titles) != len(topic.paragraphs):
            raise ValueError(f"bank.toml: topic {topic.slug!r} needs one title per paragraph")
    near = raw["near_duplicate"]
    return Bank(
        MappingProxyType(topics),
        tuple(raw["authors"]),
        tuple(near["replacements"]),
        tuple(near["notes"]),
    )


@cache
def load_site_texts() -> Mapping[str, SiteTexts]:
    """Every publisher's boilerplate, keyed by publisher name."""
    sites = {}
    for name, raw in _read_toml("sites.toml").items():
        texts = {key: tuple(value) for key, value in raw.get("texts", {}).items()}
        sites[name] = SiteTexts(
            raw["site_name"],
            raw["tagline"],
            raw["cookie"],
            raw["newsletter"],
            raw["footer"],
            MappingProxyType(texts),
        )
    return MappingProxyType(sites)


class ArticleComposer:
    """Hands out distinct articles per topic; the same call sequence gives the same articles.

    Paragraph sets are bit masks (bit i = paragraph i of the topic) so the search over all
    candidate sets stays fast enough to run at import time.
    """

    def __init__(self, bank: Bank, seed: int = _SEED) -> None:
        self._bank = bank
        self._rng = random.Random(seed)
        self._chosen: dict[str, list[int]] = {slug: [] for slug in bank.topics}
        self._leads: dict[str, set[int]] = {slug: set() for slug in bank.topics}
        self._words = {
            slug: [len(p.split()) for p in topic.paragraphs] for slug, topic in bank.topics.items()
        }
        self._count = 0

    def compose(self, topic: str) -> Article:
        """The next article about ``topic``: a fresh lead paragraph, its title, more paragraphs."""
        spec = self._bank.topics[topic]
        order = self._pick(spec)
        self._count += 1
        days_back = 2 * self._count + self._rng.randrange(2)
        return Article(
            title=spec.titles[order[0]],
            topic=topic,
            paragraphs=tuple(spec.paragraphs[i] for i in order),
            author=self._bank.authors[self._count % len(self._bank.authors)],
            published=(_NEWEST - timedelta(days=days_back)).isoformat(),
        )

    def _pick(self, spec: Topic) -> list[int]:
        """Paragraph indices, lead first; the lead has not led another article yet."""
        free_leads = set(range(len(spec.paragraphs))) - self._leads[spec.slug]
        want = self._rng.choice(_SIZES)
        for size in range(want, 2, -1):
            candidates = list(combinations(range(len(spec.paragraphs)), size))
            self._rng.shuffle(candidates)
            fitting = [c for c in candidates if free_leads & set(c) and self._fits(spec.slug, c)]
            if fitting:
                # Least overlap first: keeps room for the topic's later articles.
                best = min(fitting, key=lambda c: self._overlap(spec.slug, _mask(c)))
                lead = self._rng.choice(sorted(free_leads & set(best)))
                rest = [i for i in best if i != lead]
                self._rng.shuffle(rest)
                self._chosen[spec.slug].append(_mask(best))
                self._leads[spec.slug].add(lead)
                return [lead, *rest]
        raise ValueError(f"topic {spec.slug!r}: no paragraph set left that is distinct enough")

    def _overlap(self, slug: str, mask: int) -> int:
        return sum((mask & other).bit_count() for other in self._chosen[slug])

    def _fits(self, slug: str, candidate: tuple[int, ...]) -> bool:
        if sum(self._words[slug][i] for i in candidate) < MIN_ARTICLE_WORDS:
            return False
        mask = _mask(candidate)
        return all(
            (mask & other).bit_count() <= _MAX_SHARED * (mask | other).bit_count()
            for other in self._chosen[slug]
        )


def _mask(indices: tuple[int, ...]) -> int:
    return sum(1 << i for i in indices)


def near_duplicate(article: Article, variant: int, bank: Bank) -> Article:
    """``article`` with one sentence replaced and a note appended: a ~90% near-duplicate."""
    paragraphs = list(article.paragraphs)
    middle = len(paragraphs) // 2
    sentences = _SENTENCE_END.split(paragraphs[middle])
    sentences[len(sentences) // 2] = bank.replacements[variant % len(bank.replacements)]
    paragraphs[middle] = " ".join(sentences)
    paragraphs[-1] = f"{paragraphs[-1]} {bank.notes[variant % len(bank.notes)]}"
    return replace(article, paragraphs=tuple(paragraphs))
