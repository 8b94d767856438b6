"""Synthetic HTML pages shaped like news or blog articles, boilerplate included.

Every page, kept or not, carries the same kind of chrome a real site has (inline CSS, scripts,
a large navigation menu, a sidebar, comments, a footer, a cookie banner) so that the extractor
does realistic work and pages average about 30 KB, like the "synthetic 33 KB pages" the anchor
figures in ANCHORS.md were measured on. Only the ``<article>`` body differs by page kind.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from bench import _prose

if TYPE_CHECKING:
    from collections.abc import Callable
    from random import Random

__all__ = ["KINDS", "kind_for", "render_page"]

# Kinds other than "article" are built to be dropped: "short" by Gopher's minimum word count,
# "spam" by its top n-gram rules, "numbers" by the non-alphabetic word ratio, "teasers" by the
# ellipsis line ratio. One page in five is junk, spread evenly so that even a 50-page smoke
# input holds every kind.
KINDS = ("article", "short", "spam", "numbers", "teasers")
_JUNK_SLOTS = {3: "short", 7: "spam", 11: "numbers", 15: "teasers"}

SECTIONS = ["World", "Local", "History", "Science", "Travel", "Culture", "Books", "Opinion"]


def kind_for(index: int) -> str:
    """The page kind for page number ``index`` (deterministic, independent of the seed)."""
    return _JUNK_SLOTS.get(index % 20, "article")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _link(rng: Random, base: str, text: str) -> str:
    slug = "-".join(text.lower().split()[:6])
    return f'<a href="{base}/{slug}-{rng.randint(1000, 99999)}.html">{_esc(text)}</a>'


def _css(rng: Random) -> str:
    rules = []
    for i in range(80):
        colour = f"#{rng.randrange(0x1000000):06x}"
        rules.append(
            f".c{i}-{rng.choice(_prose.NOUNS)} {{ color: {colour}; margin: {rng.randint(0, 24)}px "
            f"{rng.randint(0, 24)}px; font-size: {rng.randint(10, 22)}px; }}"
        )
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def _scripts(rng: Random, url: str, headline: str) -> str:
    ld = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", '
        f'"headline": "{_esc(headline)}", "url": "{url}", '
        f'"datePublished": "2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}}'
    )
    tracker = "\n".join(
        f"  window.dataLayer.push({{event: 'view_{i}', slot: {rng.randint(1, 999)}}});"
        for i in range(25)
    )
    return (
        f'<script type="application/ld+json">{ld}</script>\n'
        f"<script>\n  window.dataLayer = window.dataLayer || [];\n{tracker}\n</script>"
    )


def _nav(rng: Random, base: str) -> str:
    items = []
    for section in SECTIONS:
        links = "".join(
            f"<li>{_link(rng, base, _prose.heading(rng))}</li>" for _ in range(rng.randint(4, 7))
        )
        items.append(f'<li class="menu">{section}<ul class="submenu">{links}</ul></li>')
    return f'<header><nav class="main-nav"><ul>{"".join(items)}</ul></nav></header>'


def _sidebar(rng: Random, base: str) -> str:
    related = "".join(f"<li>{_link(rng, base, _prose.title(rng))}</li>" for _ in range(12))
    tags = " ".join(_link(rng, base + "/tag", rng.choice(_prose.NOUNS)) for _ in range(20))
    return (
        f'<aside class="sidebar"><h3>Related articles</h3><ul>{related}</ul>'
        f'<div class="tags"><h3>Popular tags</h3>{tags}</div>'
        '<form class="newsletter"><label>Subscribe to our newsletter</label>'
        '<input type="email" name="email"><button>Sign up</button></form></aside>'
    )


def _comments(rng: Random) -> str:
    items = "".join(
        f'<li class="comment"><span class="who">{rng.choice(_prose.NOUNS)}{rng.randint(1, 99)}'
        f"</span><p>{_esc(_prose.paragraph(rng, 1, 2))}</p></li>"
        for _ in range(rng.randint(2, 5))
    )
    return f'<section id="comments"><h3>Comments</h3><ol>{items}</ol></section>'


def _footer(rng: Random, base: str) -> str:
    columns = "".join(
        "<ul>"
        + "".join(f"<li>{_link(rng, base, _prose.heading(rng))}</li>" for _ in range(8))
        + "</ul>"
        for _ in range(4)
    )
    return (
        f'<footer><div class="columns">{columns}</div>'
        "<p>&copy; 2024 The Example Gazette. All rights reserved.</p>"
        '<div class="cookie-banner">We use cookies to improve your experience. '
        "<button>Accept all</button> <button>Settings</button></div></footer>"
    )


def _article_body(rng: Random) -> str:
    parts = []
    for _ in range(rng.randint(5, 9)):
        parts.append(f"<h2>{_esc(_prose.heading(rng))}</h2>")
        parts += [f"<p>{_esc(_prose.paragraph(rng))}</p>" for _ in range(rng.randint(2, 4))]
    return "\n".join(parts)


def _short_body(rng: Random) -> str:
    return "<p>This page has moved. Please use the search box to find what you need.</p>"


def _spam_body(rng: Random) -> str:
    return "\n".join(f"<p>{_prose.spam_line(rng)}</p>" for _ in range(rng.randint(8, 14)))


def _number_row(rng: Random) -> str:
    cells = [
        f"#{rng.randint(10000, 99999)}",
        f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}",
        str(rng.randint(1, 50)),
        f"{rng.randint(0, 9)}/{rng.randint(10, 99)}",
    ]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _numbers_body(rng: Random) -> str:
    rows = "".join(_number_row(rng) for _ in range(rng.randint(60, 90)))
    return f"<table>{rows}</table>"


def _teasers_body(rng: Random) -> str:
    return "\n".join(
        f"<p>{_esc(_prose.sentence(rng)[:-1])} …</p>" for _ in range(rng.randint(15, 25))
    )


_BODIES: dict[str, Callable[[Random], str]] = {
    "article": _article_body,
    "short": _short_body,
    "spam": _spam_body,
    "numbers": _numbers_body,
    "teasers": _teasers_body,
}


def render_page(rng: Random, url: str, kind: str) -> str:
    """A whole HTML document for ``url`` whose article body is of the given ``kind``."""
    base = url.rsplit("/", 1)[0]
    headline = _prose.title(rng)
    byline = f"By {rng.choice(_prose.NOUNS).title()} {rng.choice(_prose.PLACES)}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(headline)} | The Example Gazette</title>\n"
        f'<meta name="description" content="{_esc(_prose.sentence(rng))}">\n'
        f"{_css(rng)}\n{_scripts(rng, url, headline)}\n</head>\n<body>\n"
        f'{_nav(rng, base)}\n<div class="breadcrumb">Home &rsaquo; '
        f"{rng.choice(SECTIONS)}</div>\n<main>\n<article>\n<h1>{_esc(headline)}</h1>\n"
        f'<p class="byline">{_esc(byline)}</p>\n{_BODIES[kind](rng)}\n</article>\n'
        f"{_comments(rng)}\n</main>\n{_sidebar(rng, base)}\n{_footer(rng, base)}\n"
        "</body>\n</html>\n"
    )
