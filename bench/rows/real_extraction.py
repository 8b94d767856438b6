"""Rows "real extract ..." and "real extraction ...": our extraction on the labelled real pages.

The pages are the labelled extraction set (``bench/extraction_set``: 199 pages of six real
sites; 34 in smoke mode), decoded once, in manifest order. Every side runs in this
one process, on the same strings, after one warm-up page, best of ``ctx.repeat``:

- ours: ``pipeline.extract.extract_main_text((html, url))``, the function a build runs in its
  sandbox worker (here without the sandbox: its pipe is not extraction);
- trafilatura: ``trafilatura.extract(html)`` with its defaults ("trafilatura alone");
- lxml floor: ``lxml.html.fromstring(html)``, a parse and nothing else.

Speed rows are pages per second (ratio > 1: ours faster); ``ms_per_page``, ``median_ms`` and
the slowest pages are in ``results.json``. Quality rows score the texts of the timed run
against each page's rule-marked truth, token-level:

- a token is a maximal run of word characters (``\\w+``), lower-cased; a text is the multiset
  (bag) of its tokens, so order and line breaks do not count;
- per page, overlap = Σ over tokens of min(count in extracted, count in truth);
- precision = Σ overlap / Σ extracted tokens, recall = Σ overlap / Σ truth tokens (summed over
  pages: micro-averaged, so long pages weigh more), F1 = 2PR / (P + R);
- "F1 per page" is the mean of each page's own F1 (every page weighs the same; a page with no
  output scores 0);
- "chrome kept out": of every page's must-not lines (``LabelledPage.must_not``: lines of three
  words or more outside the main text, such as menus, footers and language bars), the share
  that does not appear, whitespace-normalised, in the extracted text. Bag-of-words precision
  hardly sees a short footer; this does.

Then one row per page kind ("real extraction F1 news", "... discussion", ...): that kind's micro
F1, with its ms per page in the detail, so a kind the fast pass handles badly shows up even
when the whole set's figure hides it.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bench.debian_pages import PagesUnavailable
from bench.extraction_set import load_labelled_set
from bench.results import Result, Side, Unavailable
from bench.rows.extraction import word_scores

if TYPE_CHECKING:
    from bench.context import BenchContext
    from bench.extraction_set import LabelledPage

__all__ = ["Run", "kind_rows", "real_extraction_rows", "score_rows"]

Extract = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Run:
    """One side's pass over the pages: texts in page order and seconds per page."""

    texts: list[str]
    seconds: list[float]


def _ours(html: str, url: str) -> str:
    from pipeline.extract import extract_main_text

    return extract_main_text((html, url)) or ""


def _trafilatura(html: str, _url: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def _lxml(html: str, _url: str) -> str:
    from lxml import html as lxml_html

    try:
        lxml_html.fromstring(html)
    except ValueError:  # a str with an XML encoding declaration: parse the bytes
        lxml_html.fromstring(html.encode("utf-8"))
    return ""


def _run(extract: Extract, pages: list[tuple[str, str]]) -> Run:
    extract(*pages[0])  # imports and caches are not extraction speed
    texts, seconds = [], []
    for html, url in pages:
        started = time.perf_counter()
        try:
            text = extract(html, url)
        except Exception:  # a crash scores as no output; the build counts it as `crashed`
            text = ""
        seconds.append(time.perf_counter() - started)
        texts.append(text)
    return Run(texts, seconds)


def _best(extract: Extract, pages: list[tuple[str, str]], repeat: int) -> Run:
    runs = [_run(extract, pages) for _ in range(repeat)]
    return min(runs, key=lambda run: sum(run.seconds))


def _speed(run: Run, labelled: list[LabelledPage]) -> Side:
    total = sum(run.seconds)
    slowest = sorted(zip(run.seconds, labelled, strict=True), key=lambda pair: -pair[0])[:5]
    return Side(
        rate=len(run.seconds) / total,
        seconds=round(total, 3),
        docs_in=len(run.seconds),
        docs_out=sum(1 for text in run.texts if text.strip()),
        detail={
            "ms_per_page": round(1000 * total / len(run.seconds), 2),
            "median_ms": round(1000 * statistics.median(run.seconds), 2),
            "slowest_ms": {page.url: round(s * 1000, 1) for s, page in slowest},
        },
    )


def _page_f1(got: str, truth: str) -> float:
    return word_scores([(got, truth)])[2]


def _quality(texts: list[str], labelled: list[LabelledPage]) -> list[Side]:
    pairs = [(text, page.truth) for text, page in zip(texts, labelled, strict=True)]
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pair, page in zip(pairs, labelled, strict=True):
        by_kind[page.kind].append(pair)
    detail = {
        "f1_by_kind": {kind: round(100 * word_scores(ps)[2], 2) for kind, ps in by_kind.items()}
    }
    per_page = sum(_page_f1(got, truth) for got, truth in pairs) / len(pairs)
    kept = sum(1 for text in texts if text.strip())
    scores = [*word_scores(pairs), per_page]
    return [Side(round(100 * s, 2), 0.0, len(pairs), kept, detail) for s in scores]


def _chrome_kept_out(texts: list[str], labelled: list[LabelledPage]) -> Side:
    lines = leaked = 0
    for text, page in zip(texts, labelled, strict=True):
        flat = " ".join(text.split())
        lines += len(page.must_not)
        leaked += sum(1 for line in page.must_not if " ".join(line.split()) in flat)
    rate = 100 * (1 - leaked / lines) if lines else 100.0
    kept = sum(1 for text in texts if text.strip())
    return Side(round(rate, 2), 0.0, len(texts), kept, {"chrome_lines": lines, "leaked": leaked})


def score_rows(
    ours: list[str], theirs: list[str], labelled: list[LabelledPage]
) -> Iterator[Result]:
    """Precision, recall, F1 (micro), mean per-page F1 and chrome kept out, in %, ours first."""
    names = ("precision", "recall", "F1", "F1 per page")
    for name, mine, other in zip(
        names, _quality(ours, labelled), _quality(theirs, labelled), strict=True
    ):
        yield Result(f"real extraction {name}", mine, other, unit="%")
    mine, other = _chrome_kept_out(ours, labelled), _chrome_kept_out(theirs, labelled)
    yield Result("real extraction chrome kept out", mine, other, unit="%")


def _kind_side(run: Run, labelled: list[LabelledPage], kind: str) -> Side:
    picked = [n for n, page in enumerate(labelled) if page.kind == kind]
    pairs = [(run.texts[n], labelled[n].truth) for n in picked]
    seconds = sum(run.seconds[n] for n in picked)
    kept = sum(1 for text, _truth in pairs if text.strip())
    detail = {"ms_per_page": round(1000 * seconds / len(picked), 2)}
    return Side(round(100 * word_scores(pairs)[2], 2), round(seconds, 3), len(pairs), kept, detail)


def kind_rows(ours: Run, theirs: Run, labelled: list[LabelledPage]) -> Iterator[Result]:
    """Micro F1 (in %) and ms per page for each page kind, ours first, kinds in name order."""
    for kind in sorted({page.kind for page in labelled}):
        mine, other = _kind_side(ours, labelled, kind), _kind_side(theirs, labelled, kind)
        yield Result(f"real extraction F1 {kind}", mine, other, unit="%")


def real_extraction_rows(ctx: BenchContext) -> Iterator[Result]:
    """Speed against trafilatura and the lxml floor, then quality, on the labelled real pages."""
    try:
        labelled = load_labelled_set(ctx.work_dir / "debian", smoke=ctx.smoke)
    except PagesUnavailable as exc:
        skipped = Unavailable(f"skipped: {exc}")
        for name in ("extract vs trafilatura", "extract vs lxml parse", "extraction quality"):
            yield Result(f"real {name}", skipped, skipped, unit="-")
        return
    pages = [(page.html.decode("utf-8", "replace"), page.url) for page in labelled]
    theirs = _best(_trafilatura, pages, ctx.repeat)
    ours = _best(_ours, pages, ctx.repeat)
    floor = _best(_lxml, pages, ctx.repeat)
    mine = _speed(ours, labelled)
    yield Result("real extract vs trafilatura", mine, _speed(theirs, labelled), "pages/s")
    yield Result("real extract vs lxml parse", mine, _speed(floor, labelled), "pages/s")
    yield from score_rows(ours.texts, theirs.texts, labelled)
    yield from kind_rows(ours, theirs, labelled)
