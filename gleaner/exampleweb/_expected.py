"""The ground truth of the example web, derived from the same definitions the server renders.

Paths are per publisher and independent of ports; ``ExampleWeb.url`` turns a ``PageRef`` into
a live URL. Training opt-outs are stated only for pages the crawl token may fetch: a page that
may not be fetched has no readable signals (OPTOUT-SIGNALS.md, edge case 15).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ._consent import Signal, crawl_delay, may_fetch, training_signals
from ._model import PageRef, Publisher
from ._resources import resources

__all__ = ["ArticleTruth", "ExpectedWeb", "PublisherTruth", "expected_for"]


@dataclass(frozen=True, slots=True)
class ArticleTruth:
    """What extraction should recover from an article page."""

    title: str
    text: str  # paragraphs joined by "\n\n"
    published: str


@dataclass(frozen=True, slots=True)
class PublisherTruth:
    """What a correct crawler and build do with one publisher."""

    name: str
    story: str
    robots_status: int
    crawl_delay: float | None  # for the crawl token
    pages: frozenset[str]  # every static HTML path (the calendar trap not included)
    resources: frozenset[str]  # robots.txt, sitemap, tdmrep.json, policy, stylesheet
    articles: Mapping[str, ArticleTruth]
    crawl_disallowed: frozenset[str]  # pages the crawl token may not fetch
    training_optouts: Mapping[str, frozenset[Signal]]  # fetchable page -> signals opting it out
    sitemap_paths: frozenset[str]  # paths listed in /sitemap.xml
    trap_prefix: str | None

    @property
    def fetchable(self) -> frozenset[str]:
        return self.pages - self.crawl_disallowed

    @property
    def trainable(self) -> frozenset[str]:
        """Fetchable pages no signal opts out of training."""
        return self.fetchable - self.training_optouts.keys()


@dataclass(frozen=True, slots=True)
class ExpectedWeb:
    crawl_token: str
    training_token: str
    publishers: Mapping[str, PublisherTruth]
    exact_duplicates: tuple[frozenset[PageRef], ...]  # article pages with identical text
    near_duplicates: tuple[frozenset[PageRef], ...]  # an article and its edited copy

    @property
    def trap_prefixes(self) -> Mapping[str, str]:
        return {n: t.trap_prefix for n, t in self.publishers.items() if t.trap_prefix}

    def optouts(self, signal: Signal) -> frozenset[PageRef]:
        """Every page opted out of training by ``signal`` (possibly among others)."""
        return frozenset(
            PageRef(name, path)
            for name, truth in self.publishers.items()
            for path, signals in truth.training_optouts.items()
            if signal in signals
        )


def _publisher_truth(publisher: Publisher, crawl_token: str, training_token: str) -> PublisherTruth:
    pages = {page.path: page for page in publisher.pages}
    disallowed = {p for p in pages if not may_fetch(publisher.robots, crawl_token, p)}
    optouts = {
        path: signals
        for path, page in pages.items()
        if path not in disallowed
        and (signals := training_signals(publisher, page, crawl_token, training_token))
    }
    articles = {
        p.path: ArticleTruth(p.article.title, p.article.text, p.article.published)
        for p in publisher.pages
        if p.article is not None
    }
    return PublisherTruth(
        name=publisher.name,
        story=publisher.story,
        robots_status=publisher.robots.status,
        crawl_delay=crawl_delay(publisher.robots, crawl_token),
        pages=frozenset(pages),
        resources=frozenset(resources(publisher)),
        articles=MappingProxyType(articles),
        crawl_disallowed=frozenset(disallowed),
        training_optouts=MappingProxyType(optouts),
        sitemap_paths=frozenset(publisher.sitemap),
        trap_prefix=publisher.trap_prefix,
    )


def _sorted_groups(groups: list[frozenset[PageRef]]) -> tuple[frozenset[PageRef], ...]:
    return tuple(sorted(groups, key=lambda g: sorted((r.publisher, r.path) for r in g)))


def _duplicates(
    publishers: Mapping[str, Publisher],
) -> tuple[tuple[frozenset[PageRef], ...], tuple[frozenset[PageRef], ...]]:
    """Exact groups by identical article text; near pairs from the ``variant_of`` marks."""
    by_text: dict[str, set[PageRef]] = defaultdict(set)
    near = []
    for name, publisher in publishers.items():
        for page in publisher.pages:
            if page.article is not None:
                by_text[page.article.text].add(PageRef(name, page.path))
            if page.variant_of is not None:
                near.append(frozenset({PageRef(name, page.path), page.variant_of}))
    exact = [frozenset(refs) for refs in by_text.values() if len(refs) > 1]
    return _sorted_groups(exact), _sorted_groups(near)


def expected_for(
    publishers: Mapping[str, Publisher], crawl_token: str, training_token: str
) -> ExpectedWeb:
    """The ground truth for ``publishers`` as seen by the given crawl and training tokens."""
    truths = {
        name: _publisher_truth(publisher, crawl_token, training_token)
        for name, publisher in publishers.items()
    }
    exact, near = _duplicates(publishers)
    return ExpectedWeb(crawl_token, training_token, MappingProxyType(truths), exact, near)
