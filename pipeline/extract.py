"""Main-text extraction, sandboxed and counted by outcome.

The crawler stores raw HTML; this step turns it into the text we train on. Each page is parsed
once (:mod:`pipeline.extract_prune`): title and publication date are read from that parse
(:mod:`pipeline.extract_meta`), then the subtrees no extractor keeps are pruned and trafilatura
runs on what is left, in its fast mode. A page whose text comes out short next to the visible
text of its body is hard: trafilatura's full cascade (its comparison with readability and
jusText) runs on it again and the longer text wins, the recall fallback. The extraction runs
in a :class:`~pipeline.sandbox.Sandbox` worker with a time limit per page, so a page that hangs
or crashes the parser costs one page. Outcomes: ``ok`` (counted, kept), ``dropped/empty``,
``dropped/timeout``, ``dropped/crashed``.

Consent signals are not read here: the consent gate reads them from the full page first.
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any

from pipeline.document import Document
from pipeline.extract_fast import block_text, dominant_block, is_link_list
from pipeline.extract_meta import extract_published, extract_title, published_of, title_of
from pipeline.extract_prune import parse, prune, text_length
from pipeline.sandbox import Outcome, Sandbox
from pipeline.step import Step

if TYPE_CHECKING:
    from lxml.html import HtmlElement

__all__ = ["ExtractFunction", "Extracted", "Extractor", "extract_main_text", "extract_page"]

log = logging.getLogger(__name__)

#: Below this share of the body's visible characters, the fast pass's text is suspiciously short.
SHORT_SHARE = 0.7
#: ... unless more than this share of the body is link text: an index hides no prose.
LINK_PAGE_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Extracted:
    """What extraction found in one page: main text, and title and date from the same parse."""

    text: str
    title: str | None = None
    published: date | None = None
    #: How the text was found (counted per step as ``path/<name>``): ``one_block`` (the fast
    #: pass wrote out the page's main block), ``trafilatura`` (fast mode) or ``fallback`` (the
    #: full cascade, after fast mode's text came out suspiciously short).
    path: str = ""


#: ``(html, url) -> text, Extracted or None``; module level, so a spawned worker can import it.
ExtractFunction = Callable[[tuple[str, str | None]], "str | Extracted | None"]

_WARMUP = "<html><body><article><p>" + "Warm up the parser with a sentence. " * 20 + "</p>"


@cache
def _options(fast: bool) -> Any:
    # Built once per process: no comments, tables kept (FineWeb's choice), trafilatura's
    # balanced focus (its precision focus lost recall, and F1, on real pages).
    from trafilatura.settings import Extractor as Options

    return Options(comments=False, tables=True, dedup=False, fast=fast)


def extract_page(page: tuple[str, str | None]) -> Extracted | None:
    """Main text, title and publication date of ``(html, url)``; the default function."""
    html, _url = page
    tree = parse(html)
    if tree is None:
        return None
    title, published = title_of(tree), published_of(tree)
    text, path = _main_text(prune(tree), html, title)
    return Extracted(text, title, published, path) if text else None


def extract_main_text(page: tuple[str, str | None]) -> str | None:
    """The main text of ``(html, url)`` alone."""
    found = extract_page(page)
    return found.text if found else None


def _main_text(tree: HtmlElement, html: str, title: str | None) -> tuple[str, str]:
    """The main text and the path that found it (see :attr:`Extracted.path`)."""
    body = tree.find("body")
    if body is None:
        return "", ""
    block = dominant_block(body)
    if block is not None:  # easy page: its text sits in one block
        return _without_headline(block_text(block), title), "one_block"
    import trafilatura

    visible = text_length(body)  # before trafilatura changes it
    link_list = is_link_list(body, LINK_PAGE_SHARE)
    text = str(trafilatura.extract(tree, options=_options(fast=True)) or "")
    if len(text) >= SHORT_SHARE * visible or link_list:  # a link list hides no prose
        return text, "trafilatura"
    fresh = parse(html)  # suspiciously short: the full cascade, on a fresh parse
    if fresh is None:
        return text, "trafilatura"
    full = str(trafilatura.extract(prune(fresh), options=_options(fast=False)) or "")
    return (full, "fallback") if len(full) > len(text) else (text, "trafilatura")


def _without_headline(text: str, title: str | None) -> str:
    """The text without a first line that the page's title begins with, as trafilatura does.

    The headline is the document's title, not its text; a licensed copy of the same article
    carries no headline either, and dedup must see the two as the same text.
    """
    first, _, rest = text.partition("\n")
    return rest if title and rest and title.startswith(first) else text


@cache
def _shared_sandbox(function: ExtractFunction, timeout: float) -> Sandbox[Any, Any]:
    """One worker per process and setting, reused by every input this process handles."""
    sandbox: Sandbox[Any, Any] = Sandbox(function, timeout=timeout, warmup=(_WARMUP, None))
    atexit.register(sandbox.close)
    return sandbox


class Extractor(Step):
    """Replace each web document's HTML with its main text.

    ``timeout`` (seconds per page) runs ``function`` in a sandbox worker;
    ``None`` runs it in this process (fast to debug, no protection). A function that returns
    plain text gets title and date from the regexes of :mod:`pipeline.extract_meta`.
    """

    name = "extract"

    def __init__(
        self, *, timeout: float | None = 30.0, function: ExtractFunction = extract_page
    ) -> None:
        super().__init__()
        self.function = function
        self.sandbox = _shared_sandbox(function, timeout) if timeout else None
        if self.sandbox:
            self.sandbox.start()

    def __call__(self, docs: Iterator[Document]) -> Iterator[Document]:
        for doc in docs:
            self.stats.seen()
            if doc.is_licensed or doc.metadata.get("extracted"):  # licensed or WET: text already
                self.stats.add("already_text")
                self.stats.kept()
                yield doc
            elif self._extract(doc):
                self.stats.add("ok")
                self.stats.kept()
                yield doc

    def _extract(self, doc: Document) -> bool:
        outcome = self._run((doc.text, doc.url))
        if outcome.status in ("error", "crashed", "timeout"):
            log.warning("%s: extraction %s %s", doc.url, outcome.status, outcome.error or "")
            self.drop(doc, "timeout" if outcome.status == "timeout" else "crashed")
            return False
        found = outcome.value
        if isinstance(found, str):
            found = Extracted(found, extract_title(doc.text), extract_published(doc.text))
        if found is None or not found.text.strip():
            self.drop(doc, "empty")
            return False
        doc.title = doc.title or found.title
        doc.published_at = doc.published_at or found.published
        doc.text = found.text
        if found.path:
            self.stats.add(f"path/{found.path}")
        return True

    def _run(self, page: tuple[str, str | None]) -> Outcome[Any]:
        if self.sandbox is not None:
            return self.sandbox.run(page)
        try:
            return Outcome("ok", value=self.function(page))
        except Exception as exc:  # hostile HTML must not end the build
            return Outcome("error", error=f"{type(exc).__name__}: {exc}")
