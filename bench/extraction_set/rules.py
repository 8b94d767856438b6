"""The reproducible rules that mark a page's main text, one per site generator.

Each rule names the element that holds the content as its generator wrote it, and the chrome
inside it to cut (permalink marks, language bars, "back to top" links, tables of contents):

- ``sphinx`` (docs.python.org): ``div[role=main]`` minus ``a.headerlink`` (the pilcrows);
- ``sqlite`` (sqlite.org): ``body`` minus the ``div.nosearch`` header and menu, the table of
  contents ``div.fancy_toc``, and the closing "This page last modified" paragraph;
- ``apache`` (httpd.apache.org): ``div#page-content`` minus the language bars
  ``div.toplang``/``div.bottomlang``, the ``div#quickview`` sidebar and ``div.top`` links;
- ``docbook`` (Debian Reference): the ``div.chapter``/``div.preface``/``div.appendix``
  minus its ``div.toc``; the ``navheader``/``navfooter`` lie outside it.

``script``, ``style`` and ``noscript`` never count. Text is the element's text with block
elements separated by newlines, whitespace collapsed per line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["RULES", "main_element", "main_text"]

_BLOCKS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt"),
        *("figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    )
)
_NEVER = ("script", "style", "noscript", "template")
_SPACE = re.compile(r"[ \t\r\f\v\xa0]+")


def _first(root: HtmlElement, xpath: str) -> HtmlElement | None:
    found = root.xpath(xpath)
    return found[0] if found else None


def _sphinx(root: HtmlElement) -> HtmlElement | None:
    return _cut(_first(root, "//div[@role='main']"), "//a[@class='headerlink']")


def _sqlite(root: HtmlElement) -> HtmlElement | None:
    body = _cut(_first(root, "//body"), "//div[@class='nosearch']", "//div[@class='fancy_toc']")
    for paragraph in [] if body is None else body.xpath(".//p[@align='center']"):
        if "page last modified" in paragraph.text_content():
            paragraph.drop_tree()
    return body


def _apache(root: HtmlElement) -> HtmlElement | None:
    chrome = ("toplang", "bottomlang", "top")
    return _cut(
        _first(root, "//div[@id='page-content']"),
        *(f"//div[@class='{name}']" for name in chrome),
        "//div[@id='quickview']",
    )


def _docbook(root: HtmlElement) -> HtmlElement | None:
    kinds = " or ".join(f"@class='{kind}'" for kind in ("chapter", "preface", "appendix"))
    return _cut(_first(root, f"//div[{kinds}]"), "//div[@class='toc']")


def _cut(node: HtmlElement | None, *xpaths: str) -> HtmlElement | None:
    if node is None:
        return None
    for xpath in xpaths:
        for element in node.xpath("." + xpath):
            element.drop_tree()
    return node


RULES: dict[str, Callable[[HtmlElement], HtmlElement | None]] = {
    "sphinx": _sphinx,
    "sqlite": _sqlite,
    "apache": _apache,
    "docbook": _docbook,
}


def main_element(html: str | bytes, rule: str) -> HtmlElement | None:
    """The element ``rule`` marks as main content of ``html``, chrome cut, or None."""
    from lxml import html as lxml_html

    root = lxml_html.fromstring(html)
    for element in root.xpath("//" + " | //".join(_NEVER)):
        element.drop_tree()
    return RULES[rule](root)


def main_text(html: str | bytes, rule: str) -> str:
    """The page's main text by ``rule``: one line per block, empty lines dropped."""
    node = main_element(html, rule)
    if node is None:
        return ""
    for element in node.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    lines = (_SPACE.sub(" ", line).strip() for line in node.text_content().splitlines())
    return "\n".join(line for line in lines if line)
