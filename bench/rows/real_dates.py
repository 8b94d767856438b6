"""Rows "real published date ...": our date rules against htmldate on the labelled real pages.

Each page's true date is the one it states for itself, by its site's rule
(``bench/extraction_set/dates.py``): a day on release announcements and wiki pages, none on
documentation. Every side reads the same fresh parse of the page (``pipeline.extract_prune.parse``,
the one parse extraction shares), so only the date search is timed, best of ``ctx.repeat``:

- ours: ``pipeline.extract_meta.published_of(tree)`` (meta tags, JSON-LD, ``<time>``);
- htmldate: ``htmldate.find_date(tree, extensive_search=..., original_date=True, url=url)``,
  fast (``extensive_search=False``) and extensive. It gets the tree, never a URL to fetch: the
  ``url`` argument is only read for a date in its path.

"right" is the share of pages where the side returns the true day, or nothing on an undated
page; the detail splits it into ``dated_right`` (of the dated pages) and ``undated_left``
(undated pages given no date) and lists the first wrong answers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING

from bench.debian_pages import PagesUnavailable
from bench.extraction_set import load_labelled_set
from bench.results import Result, Side, Unavailable

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from bench.context import BenchContext
    from bench.extraction_set import LabelledPage

__all__ = ["date_rows", "date_side"]

FindDate = Callable[["HtmlElement", str], "date | None"]
_SHOWN_WRONG = 8


def _ours(tree: HtmlElement, _url: str) -> date | None:
    from pipeline.extract_meta import published_of

    return published_of(tree)


def _htmldate(extensive: bool) -> FindDate:
    from htmldate import find_date

    def run(tree: HtmlElement, url: str) -> date | None:
        found = find_date(tree, extensive_search=extensive, original_date=True, url=url)
        return date.fromisoformat(found) if found else None

    return run


def _answers(find: FindDate, pages: list[LabelledPage]) -> tuple[list[date | None], float]:
    from pipeline.extract_prune import parse

    trees = [parse(page.html.decode("utf-8", "replace")) for page in pages]
    answers, seconds = [], 0.0
    for tree, page in zip(trees, pages, strict=True):
        started = time.perf_counter()
        answers.append(find(tree, page.url) if tree is not None else None)
        seconds += time.perf_counter() - started
    return answers, seconds


def date_side(answers: list[date | None], seconds: float, pages: list[LabelledPage]) -> Side:
    """Share right (in %), with dated and undated pages apart, ms per page and wrong answers."""
    dated = [(got, page) for got, page in zip(answers, pages, strict=True) if page.published]
    undated = [got for got, page in zip(answers, pages, strict=True) if not page.published]
    dated_right = sum(1 for got, page in dated if got == page.published)
    undated_left = sum(1 for got in undated if got is None)
    wrong = [
        f"{page.url}: {got} (true {page.published})"
        for got, page in zip(answers, pages, strict=True)
        if got != page.published
    ]
    detail = {
        "dated_right": f"{dated_right}/{len(dated)}",
        "undated_left": f"{undated_left}/{len(undated)}",
        "ms_per_page": round(1000 * seconds / len(pages), 3),
        "wrong": wrong[:_SHOWN_WRONG],
    }
    right = 100 * (dated_right + undated_left) / len(pages)
    found = sum(1 for got in answers if got is not None)
    return Side(round(right, 2), round(seconds, 4), len(pages), found, detail)


def _best(find: FindDate, pages: list[LabelledPage], repeat: int) -> Side:
    runs = [_answers(find, pages) for _ in range(repeat)]
    answers, seconds = min(runs, key=lambda run: run[1])
    return date_side(answers, seconds, pages)


def date_rows(ctx: BenchContext) -> Iterator[Result]:
    """Our date rules against htmldate's fast and extensive searches, in % of pages right."""
    try:
        pages = load_labelled_set(ctx.work_dir / "debian", smoke=ctx.smoke)
    except PagesUnavailable as exc:
        skipped = Unavailable(f"skipped: {exc}")
        yield Result("real published date", skipped, skipped, unit="-")
        return
    ours = _best(_ours, pages, ctx.repeat)
    for name, extensive in (("fast", False), ("extensive", True)):
        theirs = _best(_htmldate(extensive), pages, ctx.repeat)
        yield Result(f"real published date vs htmldate {name}", ours, theirs, unit="% right")
