"""A fast first pass: the text of pages whose main text sits in one obvious block.

Many real pages (documentation, plain articles) keep nearly all their visible text inside one
element. :func:`dominant_block` finds the lowest element that still holds most of the body's
text; when it exists and is not a link list, :func:`block_text` writes its text out directly,
one line per paragraph, list item, heading or table row, skipping subtrees whose class or id
names boilerplate. A page without such a block is hard and goes to the full extractor.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

from pipeline.extract_prune import text_length

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["block_text", "dominant_block", "is_link_list"]

#: The block must hold this share of the body's visible characters ...
DOMINANT_SHARE = 0.8
#: A single main element needs this share only.
MAIN_SHARE = 0.5
#: Either way, at most this share of the block may be link text.
MAX_LINK_SHARE = 0.3

_BLOCKS = frozenset((
    "address", "article", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
    "tr", "ul",
))  # fmt: skip
_CELLS = frozenset(("td", "th"))
#: Link lists this close to the top of the block are chrome (menus, language bars).
_CHROME_DEPTH = 2
_CHROME_TAGS = frozenset(("div", "header", "ol", "p", "section", "table", "ul"))
_BOILERPLATE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|share|sharing|social|comments?|footer|"
    r"sidebar|banner|cookies?|consent|promo|advert|ads|sponsored|related|teaser|widget|popup|"
    r"modal|newsletter|subscribe|headerlink|skip|print|noprint|hidden|hide|byline|author|"
    r"dateline|toplang)(?:$|[\s_-])"
    # A post's or a page's footer, named as a compound too ("postfooter", "inlinefooter").
    r"|[a-z]footer(?:$|[\s_-])",
    re.IGNORECASE,
)
_LINK_TEXT = etree.XPath(".//a//text()", smart_strings=False)
_LINKS = etree.XPath("count(.//a)")
_MAIN = etree.XPath(".//main | .//*[@role='main'] | .//article")


def dominant_block(body: HtmlElement) -> HtmlElement | None:
    """The page's one main element, or else the lowest element holding most of its text.

    A single ``<main>``, ``role="main"`` or ``<article>`` holding ``MAIN_SHARE`` of the body's
    text wins; otherwise the lowest element holding ``DOMINANT_SHARE`` of it. Either way the
    block is refused when it is mostly link text (a menu or an index is a hard page).
    """
    total = text_length(body)
    if not total:
        return None
    block = _main_element(body, MAIN_SHARE * total)
    if block is None:
        block = _lowest_holding(body, DOMINANT_SHARE * total)
    if block is None:
        return None
    return None if is_link_list(block) else block


def is_link_list(element: HtmlElement, share: float = MAX_LINK_SHARE) -> bool:
    """Whether more than ``share`` of the text under ``element`` is link text."""
    links = len(" ".join("".join(_LINK_TEXT(element)).split()))
    return links > share * text_length(element)


def _is_menu(element: HtmlElement) -> bool:
    # A menu or a link bar has links, plural: one link alone is a post's linked title.
    return is_link_list(element) and _LINKS(element) >= 2


def _main_element(body: HtmlElement, need: float) -> HtmlElement | None:
    found = _MAIN(body)
    if len(found) != 1 or text_length(found[0]) < need:
        return None
    main: HtmlElement = found[0]
    return main


def _lowest_holding(body: HtmlElement, need: float) -> HtmlElement | None:
    block = body
    while True:
        heavy = next((c for c in block if isinstance(c.tag, str) and text_length(c) >= need), None)
        if heavy is None:
            break
        block = heavy
    return block if block is not body else None  # text spread over the page: hard


def block_text(block: HtmlElement) -> str:
    """The text of ``block``: one line per block element, list items as ``- item``."""
    lines: list[str] = []
    current: list[str] = []
    _walk(block, lines, current)
    _flush(lines, current)
    return "\n".join(lines)


def _walk(element: HtmlElement, lines: list[str], current: list[str], depth: int = 0) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if depth and _BOILERPLATE.search(element.get("class", "") + " " + element.get("id", "")):
        return
    if 0 < depth <= _CHROME_DEPTH and tag in _CHROME_TAGS and _is_menu(element):
        return  # a menu or a link bar beside the text
    if tag == "pre":
        _flush(lines, current)
        lines.append(element.text_content().strip("\n"))
        return
    block = tag in _BLOCKS
    if block:
        _flush(lines, current)
        if tag == "li":
            current.append("- ")
    if tag in _CELLS:
        current.append(" | ")
    if tag == "br":
        _flush(lines, current)
    if element.text:
        current.append(element.text)
    for child in element:
        _walk(child, lines, current, depth + 1)
        if child.tail:
            current.append(child.tail)
    if block:
        _flush(lines, current)


def _flush(lines: list[str], current: list[str]) -> None:
    line = " ".join("".join(current).split())
    current.clear()
    if line and line not in ("-", "|"):
        lines.append(line.strip(" |") if line.startswith("|") else line)
