"""The site model: what a publisher of the example web is made of, as plain frozen data.

The HTTP server renders these objects and the ground truth (``_expected.py``) is computed from
the same objects, so what the server says and what the tests expect cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

__all__ = [
    "Article",
    "Chrome",
    "Header",
    "Link",
    "Page",
    "PageKind",
    "PageRef",
    "Publisher",
    "Robots",
    "RobotsGroup",
    "TdmRule",
]

PageKind = Literal["home", "index", "article", "info"]

Header = tuple[str, str]


@dataclass(frozen=True, slots=True)
class PageRef:
    """A page of the example web, independent of the port it happens to be served on."""

    publisher: str
    path: str


@dataclass(frozen=True, slots=True)
class Article:
    """The main text of an article page: what extraction should recover."""

    title: str
    topic: str
    paragraphs: tuple[str, ...]
    author: str
    published: str  # ISO date, fixed so pages never depend on the clock

    @property
    def text(self) -> str:
        """The article text as a corpus stores it: paragraphs joined by a blank line."""
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink; ``publisher`` set means another site, rendered with its live base URL."""

    path: str
    text: str
    publisher: str | None = None
    teaser: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    """One HTML page; consent signals it carries are in ``headers`` and ``meta``."""

    path: str
    title: str
    kind: PageKind
    article: Article | None = None
    body: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    headers: tuple[Header, ...] = ()
    meta: tuple[Header, ...] = ()
    variant_of: PageRef | None = None  # set on near-duplicates: the page they were edited from


@dataclass(frozen=True, slots=True)
class RobotsGroup:
    """A robots.txt group. Paths are plain prefixes: the ground truth matches them literally."""

    agents: tuple[str, ...]
    allow: tuple[str, ...] = ()
    disallow: tuple[str, ...] = ()
    content_usage: tuple[tuple[str, str], ...] = ()  # (path prefix or "" for all, preference)
    crawl_delay: float | None = None

    def __post_init__(self) -> None:
        paths = [*self.allow, *self.disallow, *(p for p, _ in self.content_usage if p)]
        for path in paths:
            if not path.startswith("/") or "*" in path or "$" in path:
                raise ValueError(f"robots path {path!r} must be a plain prefix starting with '/'")


@dataclass(frozen=True, slots=True)
class Robots:
    """A publisher's robots.txt; a 5xx ``status`` makes the whole site unreachable by RFC 9309."""

    groups: tuple[RobotsGroup, ...] = ()
    status: int = 200
    sitemaps: tuple[str, ...] = ()  # own-site paths, rendered as absolute URLs
    comment: str = ""


@dataclass(frozen=True, slots=True)
class TdmRule:
    """One entry of ``/.well-known/tdmrep.json``; the first matching entry wins (TDMRep)."""

    location: str
    reservation: int
    policy_path: str | None = None


@dataclass(frozen=True, slots=True)
class Chrome:
    """The boilerplate around the content: banner, navigation, sidebar, footer."""

    site_name: str
    tagline: str
    cookie: str
    newsletter: str
    footer: str
    nav: tuple[Link, ...] = ()
    sidebar_title: str = "Most read"
    sidebar: tuple[Link, ...] = ()
    footer_links: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class Publisher:
    """A site of the example web: its own port, its own robots.txt, its own consent story."""

    name: str
    story: str
    chrome: Chrome
    robots: Robots
    pages: tuple[Page, ...]
    tdmrep: tuple[TdmRule, ...] = ()
    sitemap: tuple[str, ...] = ()  # paths listed in /sitemap.xml; empty means no sitemap
    trap_prefix: str | None = None  # endless generated URLs live under this prefix
    response_delay: float = 0.0  # seconds of artificial latency per page (times delay_scale)
    _by_path: Mapping[str, Page] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_path = {page.path: page for page in self.pages}
        if len(by_path) != len(self.pages):
            raise ValueError(f"publisher {self.name!r} defines a path twice")
        missing = [path for path in self.sitemap if path not in by_path]
        if missing:
            raise ValueError(f"publisher {self.name!r}: sitemap lists unknown paths {missing}")
        object.__setattr__(self, "_by_path", MappingProxyType(by_path))

    def page(self, path: str) -> Page | None:
        """The static page at ``path``, or None."""
        return self._by_path.get(path)
