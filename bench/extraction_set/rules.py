"""The reproducible rules that mark a page's main text, one per site generator.

Each rule names the element that holds the content as its generator wrote it, and the chrome
inside it to cut (permalink marks, language bars, "back to top" links, tables of contents):

- ``sphinx`` (docs.python.org): ``div[role=main]`` minus ``a.headerlink`` (the pilcrows);
- ``sqlite`` (sqlite.org): ``body`` minus the ``div.nosearch`` header and menu, the table of
  contents ``div.fancy_toc``, and the closing "This page last modified" paragraph;
- ``apache`` (httpd.apache.org): ``div#page-content`` minus the language bars
  ``div.toplang``/``div.bottomlang``, the ``div#quickview`` sidebar and ``div.top`` links;
- ``asciidoc`` (Git's HTML docs): ``body`` minus the ``div#footer`` ("Last updated") and
  the ``div#toc`` table of contents;
- ``docbook`` (Debian Reference): the ``div.chapter``/``div.preface``/``div.appendix``
  minus its ``div.toc``; the ``navheader``/``navfooter`` lie outside it;
- ``ikiwiki`` (ikiwiki.info): ``div#content`` minus, in each post of a page that shows several
  (``div.inlinepage``), the ``div.inlinefooter`` ("Posted <date>", the post's metadata), and
  the ``div.feedlink`` and ``div.toc``. Replies written into a page (quoted, signed answers on a
  discussion page) are its main text; the header's breadcrumb and the footer lie outside it.

Chrome lines (``chrome_lines``) are the page's other lines: the must-not-contain snippets.
``script``, ``style`` and ``noscript`` never count. Text is the element's text with block
elements separated by newlines, whitespace collapsed per line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["RULES", "Rule", "chrome_lines", "main_element", "main_text"]

_BLOCKS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    )
)
_NEVER = ("script", "style", "noscript", "template")
_CHROME_WORDS = 3
_SPACE = re.compile(r"[ \t\r\f\v\xa0]+")


@dataclass(frozen=True, slots=True)
class Rule:
    """Where a generator puts the main text (``main``) and the chrome inside it (``cut``)."""

    main: str
    cut: tuple[str, ...] = ()


RULES = {
    "sphinx": Rule("//div[@role='main']", (".//a[@class='headerlink']",)),
    "sqlite": Rule(
        "//body",
        (
            ".//div[@class='nosearch']",
            ".//div[@class='fancy_toc']",
            ".//p[@align='center'][contains(., 'page last modified')]",
        ),
    ),
    "apache": Rule(
        "//div[@id='page-content']",
        (
            ".//div[@class='toplang']",
            ".//div[@class='bottomlang']",
            ".//div[@class='top']",
            ".//div[@id='quickview']",
        ),
    ),
    "asciidoc": Rule("//body", (".//div[@id='footer']", ".//div[@id='toc']")),
    "docbook": Rule(
        "//div[@class='chapter' or @class='preface' or @class='appendix']",
        (".//div[@class='toc']",),
    ),
    "ikiwiki": Rule(
        "//div[@id='content']",
        (
            ".//div[@class='inlinefooter']",
            ".//div[@class='feedlink']",
            ".//div[@class='toc']",
        ),
    ),
}


def _parse(html: str | bytes) -> HtmlElement:
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    for element in root.xpath("//" + " | //".join(_NEVER)):
        element.drop_tree()
    return root


def _located(root: HtmlElement, rule: str) -> tuple[HtmlElement | None, list[HtmlElement]]:
    found = root.xpath(RULES[rule].main)
    if not found:
        return None, []
    node = found[0]
    return node, [element for xpath in RULES[rule].cut for element in node.xpath(xpath)]


def main_element(html: str | bytes, rule: str) -> HtmlElement | None:
    """The element ``rule`` marks as main content of ``html``, chrome cut, or None."""
    node, cut = _located(_parse(html), rule)
    for element in cut:
        element.drop_tree()
    return node


def main_text(html: str | bytes, rule: str) -> str:
    """The page's main text by ``rule``: one line per block, empty lines dropped."""
    node = main_element(html, rule)
    return "" if node is None else _block_text(node)


def chrome_lines(html: str | bytes, rule: str, truth: str) -> list[str]:
    """Lines of the page outside its main text: the must-not-contain snippets.

    The text (as for the truth) of the body without the main element, and of the chrome cut
    from inside it; every line of three words or more that is not part of ``truth``, once each.
    """
    root = _parse(html)
    node, cut = _located(root, rule)
    pieces = [_block_text(element) for element in cut]
    body = root.find(".//body")
    if node is not None and body is not None and node is not body:
        node.drop_tree()
        pieces.append(_block_text(body))
    lines = (line for piece in pieces for line in piece.splitlines())
    chrome = (line for line in lines if len(line.split()) >= _CHROME_WORDS and line not in truth)
    return list(dict.fromkeys(chrome))


def _block_text(node: HtmlElement) -> str:
    for element in node.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (_SPACE.sub(" ", line).strip() for line in node.text_content().splitlines())
    return "\n".join(line for line in lines if line)
