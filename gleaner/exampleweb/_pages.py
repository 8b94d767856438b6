"""Small builders that turn composed articles into the pages of a publisher.

They keep ``publishers.py`` down to what makes each publisher different: its paths and its
consent story.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from ._bank import ArticleComposer, load_site_texts
from ._model import Article, Chrome, Header, Link, Page

__all__ = [
    "article_pages",
    "chrome_for",
    "compose",
    "home_page",
    "index_page",
    "info_page",
    "link_to",
    "slugify",
    "teaser",
    "under",
    "with_signals",
]

_RELATED = 3  # related-article links per article page


def slugify(title: str) -> str:
    """A URL slug: lower-case ASCII words joined by hyphens."""
    folded = unicodedata.normalize("NFKD", title.lower().replace("'", ""))
    ascii_title = folded.encode("ascii", "ignore").decode()  # "café" -> "cafe"
    return re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")


def under(prefix: str) -> Callable[[Article], str]:
    """Article paths ``<prefix><slug>``."""
    return lambda article: f"{prefix}{slugify(article.title)}"


def compose(composer: ArticleComposer, plan: Sequence[tuple[str, int]]) -> list[Article]:
    """Articles for a publisher: ``count`` articles of each ``topic``, in plan order."""
    return [composer.compose(topic) for topic, count in plan for _ in range(count)]


def teaser(article: Article) -> str:
    """The first sentence of an article, as listing pages show it."""
    first = article.paragraphs[0]
    end = first.find(". ")
    return first if end < 0 else first[: end + 1]


def link_to(page: Page) -> Link:
    return Link(page.path, page.title, teaser=teaser(page.article) if page.article else "")


def article_pages(articles: Iterable[Article], path_for: Callable[[Article], str]) -> list[Page]:
    """Article pages, each linking to the next few articles of the same list (a ring)."""
    articles = list(articles)
    paths = [path_for(a) for a in articles]
    pages = []
    for i, article in enumerate(articles):
        ring = [(i + step) % len(articles) for step in range(1, _RELATED + 1)]
        related = tuple(Link(paths[j], articles[j].title) for j in ring if j != i)
        pages.append(Page(paths[i], article.title, "article", article=article, links=related))
    return pages


def index_page(path: str, title: str, pages: Sequence[Page], intro: str = "") -> Page:
    """A section page listing ``pages`` with a one-sentence teaser each."""
    body = (intro,) if intro else ()
    return Page(path, title, "index", body=body, links=tuple(link_to(p) for p in pages))


def home_page(site_name: str, tagline: str, links: Iterable[Link]) -> Page:
    return Page("/", site_name, "home", body=(tagline,), links=tuple(links))


def info_page(path: str, title: str, body: Sequence[str], links: Iterable[Link] = ()) -> Page:
    return Page(path, title, "info", body=tuple(body), links=tuple(links))


def with_signals(page: Page, headers: Sequence[Header] = (), meta: Sequence[Header] = ()) -> Page:
    """``page`` carrying extra response headers and meta tags (its consent signals)."""
    return replace(page, headers=page.headers + tuple(headers), meta=page.meta + tuple(meta))


def chrome_for(
    name: str,
    nav: Iterable[Link] = (),
    sidebar: Iterable[Link] = (),
    sidebar_title: str = "Most read",
    footer_links: Iterable[Link] = (),
) -> Chrome:
    """The boilerplate of publisher ``name``, texts from ``sites.toml``."""
    texts = load_site_texts()[name]
    return Chrome(
        site_name=texts.site_name,
        tagline=texts.tagline,
        cookie=texts.cookie,
        newsletter=texts.newsletter,
        footer=texts.footer,
        nav=tuple(nav),
        sidebar_title=sidebar_title,
        sidebar=tuple(sidebar),
        footer_links=tuple(footer_links),
    )
