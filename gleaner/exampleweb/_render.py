"""HTML rendering: the article in the middle, realistic boilerplate all around it.

Links to other publishers are rendered at request time from the live base URLs, because ports
are chosen by the OS. No page ever links outside 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from html import escape

from ._bank import load_bank
from ._model import Article, Header, Link, Page, Publisher

__all__ = ["href", "pretty_date", "render_document", "render_page"]

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def href(link: Link, base_urls: Mapping[str, str]) -> str:
    """Same-site links stay root-relative; links to another publisher get its base URL."""
    return link.path if link.publisher is None else base_urls[link.publisher] + link.path


def pretty_date(iso: str) -> str:
    """``2026-10-30`` as ``30 October 2026``, independent of the process locale."""
    day = date.fromisoformat(iso)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _anchor(link: Link, base_urls: Mapping[str, str]) -> str:
    return f'<a href="{escape(href(link, base_urls))}">{escape(link.text)}</a>'


def _link_list(links: Iterable[Link], base_urls: Mapping[str, str], css: str) -> str:
    items = "".join(f"<li>{_anchor(link, base_urls)}</li>" for link in links)
    return f'<ul class="{css}">{items}</ul>' if items else ""


def _head(title: str, publisher: Publisher, meta: Iterable[Header]) -> str:
    tags = "".join(f'<meta name="{escape(n)}" content="{escape(c)}">\n' for n, c in meta)
    return (
        '<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)} | {escape(publisher.chrome.site_name)}</title>\n{tags}"
        '<link rel="stylesheet" href="/static/site.css">\n</head>\n'
    )


def _banner_and_header(publisher: Publisher, base_urls: Mapping[str, str]) -> str:
    chrome = publisher.chrome
    return (
        f'<div class="cookie-banner" role="dialog"><p>{escape(chrome.cookie)}</p>'
        "<button>Accept all</button> <button>Manage choices</button></div>\n"
        f'<header class="site-header"><a class="logo" href="/">{escape(chrome.site_name)}</a>'
        f'<p class="tagline">{escape(chrome.tagline)}</p>\n'
        f"<nav>{_link_list(chrome.nav, base_urls, 'menu')}</nav></header>\n"
    )


def _sidebar_and_footer(publisher: Publisher, base_urls: Mapping[str, str]) -> str:
    chrome = publisher.chrome
    box = ""
    if chrome.sidebar:
        box = (
            f"<h2>{escape(chrome.sidebar_title)}</h2>{_link_list(chrome.sidebar, base_urls, 'box')}"
        )
    return (
        f'<aside class="sidebar">{box}<section class="newsletter"><h2>Newsletter</h2>'
        f'<p>{escape(chrome.newsletter)}</p><form><input type="email" '
        'placeholder="Email address"><button>Sign up</button></form></section></aside>\n</div>\n'
        f'<footer class="site-footer">{_link_list(chrome.footer_links, base_urls, "legal")}'
        f"<p>{escape(chrome.footer)}</p></footer>\n"
    )


def render_document(
    publisher: Publisher,
    title: str,
    main: str,
    base_urls: Mapping[str, str],
    meta: Iterable[Header] = (),
) -> str:
    """A full HTML document: ``main`` wrapped in the publisher's boilerplate."""
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n{_head(title, publisher, meta)}<body>\n'
        f"{_banner_and_header(publisher, base_urls)}"
        f'<div class="layout">\n<main id="content">\n{main}\n</main>\n'
        f"{_sidebar_and_footer(publisher, base_urls)}</body>\n</html>\n"
    )


def _article_main(page: Page, article: Article, base_urls: Mapping[str, str]) -> str:
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)
    related = _link_list(page.links, base_urls, "related-list")
    section = load_bank().topics[article.topic].name
    return (
        f'<nav class="breadcrumbs"><a href="/">Home</a> &rsaquo; {escape(section)}'
        f"</nav>\n<article>\n<h1>{escape(article.title)}</h1>\n"
        f'<p class="byline">By {escape(article.author)}, '
        f'<time datetime="{article.published}">{pretty_date(article.published)}</time></p>\n'
        f'<div class="article-body">\n{paragraphs}\n</div>\n</article>\n'
        '<section class="share">Share this story: <a href="#">Email</a> '
        '<a href="#">Copy link</a></section>\n'
        + (
            f'<section class="related"><h2>Related stories</h2>{related}</section>'
            if related
            else ""
        )
    )


def _listing_main(page: Page, base_urls: Mapping[str, str]) -> str:
    intro = "".join(f'<p class="intro">{escape(text)}</p>' for text in page.body)
    items = "".join(
        f"<li><h2>{_anchor(link, base_urls)}</h2>"
        + (f"<p>{escape(link.teaser)}</p>" if link.teaser else "")
        + "</li>\n"
        for link in page.links
    )
    return f'<h1>{escape(page.title)}</h1>\n{intro}\n<ul class="listing">\n{items}</ul>'


def _info_main(page: Page, base_urls: Mapping[str, str]) -> str:
    body = "\n".join(f"<p>{escape(text)}</p>" for text in page.body)
    return f"<h1>{escape(page.title)}</h1>\n{body}\n{_link_list(page.links, base_urls, 'see-also')}"


def render_page(publisher: Publisher, page: Page, base_urls: Mapping[str, str]) -> str:
    """The HTML of a static page, with its meta-tag signals in the head."""
    if page.article is not None:
        main = _article_main(page, page.article, base_urls)
        meta = [("author", page.article.author), ("description", page.article.paragraphs[0][:150])]
    elif page.kind == "info":
        main, meta = _info_main(page, base_urls), []
    else:
        main, meta = _listing_main(page, base_urls), [("description", publisher.chrome.tagline)]
    return render_document(publisher, page.title, main, base_urls, [*meta, *page.meta])
