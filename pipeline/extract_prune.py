"""One lxml parse of a page, with what no extractor keeps cut away first.

Extraction used to hand trafilatura the raw HTML, so every stage it runs (cleaning, XPath
pruning, the comparison extractors) walked scripts, styles, SVG drawings, navigation and hidden
subtrees before throwing them away. :func:`parse_pruned` parses once, within a size budget,
and drops those subtrees with lxml's C loops; title, date and text then share that tree.

Consent signals (meta robots, TDMRep and the like) are never read from this tree: the consent
gate reads the full page before extraction, so a shortcut here cannot change a decision.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

__all__ = ["MAX_PAGE_BYTES", "parse", "parse_pruned", "prune", "text_length", "visible_length"]

#: Pages are cut to this many bytes before parsing: the largest real page we measured is 2.5 MB.
MAX_PAGE_BYTES = 4 << 20

# Subtrees trafilatura deletes anyway, whatever the options (its MANUALLY_CLEANED list, minus
# figure, math and form, which it treats case by case).
_DEAD = (
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
    "audio", "video", "select", "textarea", "button", "input", "nav", "aside", "footer",
    "menu", "dialog", "map", "picture",
)  # fmt: skip
_HIDDEN = etree.XPath(
    ".//*[@hidden or @aria-hidden='true' or contains(translate(@style, 'DISPLAYNOE ',"
    " 'displaynoe'), 'display:none') or contains(translate(@style, 'VISBLTYHDNE ',"
    " 'visbltyhdne'), 'visibility:hidden')]"
)
_UNWRAP = "gleaner-unwrap"
_PLAIN_ATTRS = frozenset({"class", "dir", "lang", "title"})
_BOILERPLATE = re.compile(
    r"hid|hide|nav|menu|shar|social|comment|foot|head|banner|cookie|consent|promo|advert|"
    r"sponsor|related|teaser|widget|popup|modal|subscri|newsletter|breadcrumb|tag|meta|author|"
    r"date|byline|print|reply|message|akismet|bottom|link|login|sign|button|caption|credit",
    re.IGNORECASE,
)
_LENGTH = etree.XPath("string-length(normalize-space(.))")
_PARSER = HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False, huge_tree=False
)


def parse(page: str, budget: int = MAX_PAGE_BYTES) -> HtmlElement | None:
    """The page's first ``budget`` bytes parsed, or None when lxml finds no document."""
    data = page.encode("utf-8", "surrogatepass")[:budget]
    try:
        return document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def prune(tree: HtmlElement) -> HtmlElement:
    """``tree`` without the subtrees no extractor keeps; changed in place and returned."""
    body = tree.find("body")
    if body is not None:
        etree.strip_elements(body, *_DEAD, with_tail=False)
        for element in _HIDDEN(body):
            element.drop_tree()  # keeps its tail, which belongs to the parent
        _unwrap_spans(body)
    return tree


def parse_pruned(page: str, budget: int = MAX_PAGE_BYTES) -> HtmlElement | None:
    """:func:`parse` then :func:`prune`."""
    tree = parse(page, budget)
    return prune(tree) if tree is not None else None


def _unwrap_spans(body: HtmlElement) -> None:
    """Unwrap styling spans (syntax highlighting, signatures): the same text, far fewer nodes.

    trafilatura tests every span against regular expressions through Python callbacks and
    unwraps the survivors at the end anyway; only a span whose class or id could name
    boilerplate keeps its element so that those tests still see it.
    """
    for code in list(body.iter("pre", "code")):
        etree.strip_tags(code, "span")
    for span in list(body.iter("span")):
        if set(span.attrib) <= _PLAIN_ATTRS and not _BOILERPLATE.search(span.get("class", "")):
            span.tag = _UNWRAP
    etree.strip_tags(body, _UNWRAP)


def visible_length(tree: HtmlElement) -> int:
    """Characters of text left in the pruned ``<body>``, whitespace runs counted as one."""
    body = tree.find("body")
    return text_length(body) if body is not None else 0


def text_length(element: HtmlElement) -> int:
    """Characters of text under ``element``, whitespace runs counted as one (in C, by XPath)."""
    return int(_LENGTH(element))
