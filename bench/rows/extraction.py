"""Rows "extraction precision / recall / F1": our extraction against trafilatura alone.

Two labelled sets. The example web (``gleaner.exampleweb``) knows the text of every article
it serves (``EXPECTED.publishers[...].articles[path].text``); its pages are rendered offline
with their chrome (menus, sidebars, footers, related links). The bench input's article pages
(``bench._html``: scripts, CSS, a big menu, comments, cookie banner, footer) are labelled by
the headline and paragraphs of their ``<article>`` element (the byline left out). Both sides
extract every page:

- ours: what a build keeps, i.e. Gleaner's extraction (``pipeline.extract``: one pruned parse,
  a fast pass for pages whose text sits in one block, trafilatura with a recall fallback for
  the others) followed by the C4 line rules, as in ``pipeline.flow``;
- theirs: ``trafilatura.extract(html)`` with its defaults, the usual "trafilatura alone".

Scores are word-level bag-of-words overlap, micro-averaged over all articles: precision is the
share of extracted words that are in the article, recall the share of article words extracted.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from bench.results import Result, Side

if TYPE_CHECKING:
    from bench.context import BenchContext

__all__ = ["extraction_quality", "labelled_pages", "word_scores"]

_WORD = re.compile(r"\w+")
Extract = Callable[[str], str]


def labelled_pages() -> list[tuple[str, str]]:
    """``(html, true text)`` for every article of the example web, rendered offline."""
    from gleaner.exampleweb import EXPECTED, PUBLISHERS
    from gleaner.exampleweb._render import render_page

    bases = {name: f"http://{name}.example" for name in PUBLISHERS}
    pages = []
    for name, publisher in PUBLISHERS.items():
        truth = EXPECTED.publishers[name].articles
        for page in publisher.pages:
            if page.path in truth:
                pages.append((render_page(publisher, page, bases), truth[page.path].text))
    return pages


def bench_pages(seed: int, count: int = 100) -> list[tuple[str, str]]:
    """``(html, true text)`` for the first ``count`` article pages of the bench input."""
    from lxml import html as lxml_html

    from bench._html import kind_for
    from bench.make_input import _page

    pages = []
    index = 0
    while len(pages) < count:
        if kind_for(index) == "article":
            page = _page(seed, index)[1].decode("utf-8")
            article = lxml_html.fromstring(page).find(".//article")
            parts = [
                el.text_content().strip()
                for el in article.iter("h1", "h2", "h3", "p")
                if "byline" not in (el.get("class") or "")
            ]
            pages.append((page, "\n".join(parts)))
        index += 1
    return pages


def word_scores(pairs: list[tuple[str, str]]) -> tuple[float, float, float]:
    """Micro-averaged word-bag precision, recall and F1 of ``(extracted, truth)`` pairs."""
    overlap = extracted = expected = 0
    for got, truth in pairs:
        got_words, true_words = Counter(_words(got)), Counter(_words(truth))
        overlap += sum((got_words & true_words).values())
        extracted += sum(got_words.values())
        expected += sum(true_words.values())
    precision = overlap / extracted if extracted else 0.0
    recall = overlap / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _ours(html: str) -> str:
    from pipeline.document import Document
    from pipeline.extract import extract_main_text
    from pipeline.filters import C4Filter

    text = extract_main_text((html, None)) or ""
    doc = Document(id="x", text=text, source="web")
    return doc.text if C4Filter().decide(doc) is None else text


def _theirs(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def _side(extract: Extract, pages: list[tuple[str, str]]) -> Iterator[Side]:
    extract(pages[0][0])  # imports and caches are not extraction quality or speed
    started = time.perf_counter()
    pairs = [(extract(html), truth) for html, truth in pages]
    seconds = round(time.perf_counter() - started, 3)
    kept = sum(1 for got, _ in pairs if got.strip())
    for score in word_scores(pairs):
        yield Side(rate=round(score * 100, 2), seconds=seconds, docs_in=len(pages), docs_out=kept)


def extraction_quality(ctx: BenchContext) -> Iterator[Result]:
    """Precision, recall and F1 (in %) per labelled set, ours against trafilatura alone."""
    sets = {"example web": labelled_pages(), "bench pages": bench_pages(ctx.input.seed)}
    for label, pages in sets.items():
        ours, theirs = list(_side(_ours, pages)), list(_side(_theirs, pages))
        for name, mine, other in zip(("precision", "recall", "F1"), ours, theirs, strict=True):
            yield Result(f"extraction {name}, {label}", mine, other, unit="%")
