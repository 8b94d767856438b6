"""Extract ``<meta name=… content=…>`` pairs from HTML with lxml, whatever the HTML is.

Google reads robots meta tags in ``<body>`` as well as ``<head>``; honouring more only
restricts us, so every ``meta`` element in the document counts. lxml's recovering HTML
parser copes with broken markup; anything it still refuses yields no tags.
"""

from __future__ import annotations

from typing import Any

from lxml import etree  # no stubs installed

__all__ = ["meta_tags"]


def meta_tags(html: bytes | str) -> list[tuple[str, str]]:
    """Return ``(lower-case name, content)`` for each named meta element, in document order."""
    root = _parse(html)
    if root is None:
        return []
    tags: list[tuple[str, str]] = []
    for element in root.iter("meta"):
        name = element.get("name")
        content = element.get("content")
        if isinstance(name, str) and isinstance(content, str):
            tags.append((name.strip().lower(), content))
    return tags


def _parse(html: bytes | str) -> Any:
    if isinstance(html, str):
        data = html.encode("utf-8", "replace")
        parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True)
    else:
        data = bytes(html)
        parser = etree.HTMLParser(no_network=True, remove_comments=True)
    if not data.strip():
        return None
    try:
        return etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError, LookupError):
        return None
