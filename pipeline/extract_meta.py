"""Title and publication date of a page, from the regexes over its head or from its parse.

The regexes (:func:`extract_title`, :func:`extract_published`) read the first 64 KiB of raw
HTML and serve callers that have no parse. Extraction parses every page once
(:mod:`pipeline.extract_prune`) and reads both from that tree instead
(:func:`title_of`, :func:`published_of`), by the same rules: ``<title>``; then Open Graph
``article:published_time`` and its kin, schema.org ``datePublished`` in JSON-LD,
``<time datetime>``. Anything unclear is left as None rather than guessed.
"""

from __future__ import annotations

import html
import re
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["extract_published", "extract_title", "published_of", "title_of"]

_HEAD = 65536
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_DATE_NAMES = r"article:published_time|datePublished|date|pubdate|publish[_-]?date|dc\.date"
_ISO_DAY = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_JSON_DATE = re.compile(r"\"datePublished\"\s*:\s*\"(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
_META_NAME = re.compile(rf"(?:{_DATE_NAMES})\Z", re.IGNORECASE)
_DATES = (
    re.compile(
        rf"<meta[^>]+(?:property|name|itemprop)=[\"'](?:{_DATE_NAMES})[\"'][^>]*"
        r"content=[\"'](\d{4}-\d{2}-\d{2})",
        re.IGNORECASE,
    ),
    _JSON_DATE,
    re.compile(r"<time[^>]+datetime=[\"'](\d{4}-\d{2}-\d{2})", re.IGNORECASE),
)


def extract_title(page: str) -> str | None:
    """The page's ``<title>``, unescaped and with whitespace collapsed."""
    match = _TITLE.search(page[:_HEAD])
    if not match:
        return None
    return _clean_title(html.unescape(match.group(1)))


def extract_published(page: str) -> date | None:
    """The first well-formed publication date the page declares, or None."""
    head = page[:_HEAD]
    for pattern in _DATES:
        match = pattern.search(head)
        if match:
            return _day(match.group(1))
    return None


def title_of(tree: HtmlElement) -> str | None:
    """The ``<title>`` of a parsed page, whitespace collapsed."""
    title = tree.find(".//title")
    return _clean_title(title.text_content()) if title is not None else None


def published_of(tree: HtmlElement) -> date | None:
    """:func:`extract_published` on a parsed page: meta tags, then JSON-LD, then ``<time>``.

    Read before pruning, since JSON-LD sits in ``<script>`` elements.
    """
    for meta in tree.iter("meta"):
        name = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        match = _ISO_DAY.match(meta.get("content", ""))
        if match and _META_NAME.match(name):
            return _day(match.group(1))
    for script in tree.iter("script"):
        found = _JSON_DATE.search(script.text or "")
        if found:
            return _day(found.group(1))
    for time in tree.iter("time"):
        match = _ISO_DAY.match(time.get("datetime", ""))
        if match:
            return _day(match.group(1))
    return None


def _clean_title(raw: str) -> str | None:
    return " ".join(raw.split()) or None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
