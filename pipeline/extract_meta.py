"""Title and publication date from the HTML head, found cheaply without a parse.

A regex over the first 64 KiB finds ``<title>`` and the usual date markers
(Open Graph ``article:published_time``, schema.org ``datePublished``,
``<time datetime>``); anything unclear is left as None rather than guessed.
"""

from __future__ import annotations

import html
import re
from datetime import date

__all__ = ["extract_published", "extract_title"]

_HEAD = 65536
_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_DATES = (
    re.compile(
        r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|datePublished|"
        r"date|pubdate|publish[_-]?date|dc\.date)[\"'][^>]*content=[\"'](\d{4}-\d{2}-\d{2})",
        re.IGNORECASE,
    ),
    re.compile(r"\"datePublished\"\s*:\s*\"(\d{4}-\d{2}-\d{2})", re.IGNORECASE),
    re.compile(r"<time[^>]+datetime=[\"'](\d{4}-\d{2}-\d{2})", re.IGNORECASE),
)


def extract_title(page: str) -> str | None:
    """The page's ``<title>``, unescaped and with whitespace collapsed."""
    match = _TITLE.search(page[:_HEAD])
    if not match:
        return None
    title = html.unescape(match.group(1)).strip()
    return " ".join(title.split()) or None


def extract_published(page: str) -> date | None:
    """The first well-formed publication date the page declares, or None."""
    head = page[:_HEAD]
    for pattern in _DATES:
        match = pattern.search(head)
        if match:
            try:
                return date.fromisoformat(match.group(1))
            except ValueError:
                return None
    return None
