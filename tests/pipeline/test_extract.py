from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pipeline.document import Document
from pipeline.extract import Extractor, extract_main_text, extract_page
from pipeline.extract_meta import extract_published, extract_title, published_of, title_of
from pipeline.extract_prune import parse
from tests.pipeline.conftest import ARTICLE
from tests.pipeline.extractors import misbehaving


def _docs(*bodies: str) -> list[Document]:
    return [Document(id=str(i), text=b, source="web", url=f"u{i}") for i, b in enumerate(bodies)]


def test_outcomes_are_counted_and_bad_pages_cost_one_page_each() -> None:
    step = Extractor(timeout=1.0, function=misbehaving)
    pages = _docs("<title>One</title>ok", "HANG", "CRASH", "RAISE", "EMPTY", "<title>Two</title>")
    kept = list(step(iter(pages)))
    assert [d.title for d in kept] == ["One", "Two"]
    assert kept[0].text == "text of <title>One</title>ok"
    assert step.stats.as_dict() == {
        "total": 6,
        "kept": 2,
        "ok": 2,
        "dropped": 4,
        "dropped/timeout": 1,
        "dropped/crashed": 2,
        "dropped/empty": 1,
    }


def test_in_process_mode_and_licensed_passthrough() -> None:
    step = Extractor(timeout=None, function=misbehaving)
    docs = [*_docs("a", "RAISE"), Document(id="l", text="as delivered", source="harbor")]
    kept = list(step(iter(docs)))
    assert [d.text for d in kept] == ["text of a", "as delivered"]
    assert step.stats.as_dict()["dropped/crashed"] == 1


def test_trafilatura_keeps_the_article_and_drops_the_chrome() -> None:
    text = extract_main_text((ARTICLE, None)) or ""
    assert "fishermen" in text and "Copyright" not in text and "Home" not in text


@pytest.mark.parametrize(
    ("head", "title", "published"),
    [
        ("<title> Harbour &amp;\n morning </title>", "Harbour & morning", None),
        (
            '<meta property="article:published_time" content="2024-03-05T10:00:00Z">',
            None,
            date(2024, 3, 5),
        ),
        ('<script>{"datePublished": "2023-12-31"}</script>', None, date(2023, 12, 31)),
        ('<time datetime="2022-02-30">bad</time>', None, None),
        ("<p>nothing</p>", None, None),
    ],
)
def test_cheap_metadata(head: str, title: str | None, published: date | None) -> None:
    page = f"<html><head>{head}</head><body></body></html>"
    assert extract_title(page) == title and extract_published(page) == published


def test_extract_page_reads_title_and_date_from_its_one_parse() -> None:
    head = '<meta property="article:published_time" content="2024-03-05T10:00:00Z">'
    page = ARTICLE.replace("<head>", f"<head>{head}")
    found = extract_page((page, None))
    assert found is not None
    assert (found.title, found.published) == ("Harbour morning", date(2024, 3, 5))
    assert "fishermen" in found.text and "Copyright" not in found.text


@pytest.mark.parametrize(
    ("head", "title", "published"),
    [
        ("<title> Harbour &amp;\n morning </title>", "Harbour & morning", None),
        ('<meta name="pubdate" content="2021-07-01">', None, date(2021, 7, 1)),
        ('<script type="application/ld+json">{"datePublished": "2023-12-31"}</script>', None,
         date(2023, 12, 31)),
        ('<meta name="description" content="2020-01-01">', None, None),
        ('<time datetime="2022-02-30">bad</time>', None, None),
    ],
)  # fmt: skip
def test_title_and_date_from_the_tree_agree_with_the_regexes(
    head: str, title: str | None, published: date | None
) -> None:
    page = f"<html><head>{head}</head><body><p>text</p></body></html>"
    tree = parse(page)
    assert tree is not None
    assert (title_of(tree), published_of(tree)) == (title, published)
    assert (extract_title(page), extract_published(page)) == (title, published)


def _pretend_trafilatura(monkeypatch: pytest.MonkeyPatch, fast: str, full: str) -> list[bool]:
    import trafilatura

    calls: list[bool] = []

    def extract(_tree: object, options: Any) -> str:
        calls.append(options.fast)
        return fast if options.fast else full

    monkeypatch.setattr(trafilatura, "extract", extract)
    return calls


# Two equal blocks of prose: no single block holds the text, so the page is hard.
HARD = "<html><body>" + f"<div><p>{'Words of prose in a paragraph. ' * 20}</p></div>" * 2


@pytest.mark.parametrize(
    ("fast", "full", "calls", "kept", "path"),
    [
        ("short", "the whole text, longer", [True, False], "the whole text, longer", "fallback"),
        ("x" * 1000, "unused", [True], "x" * 1000, "trafilatura"),  # long enough: no fallback
        ("short", "", [True, False], "short", "trafilatura"),  # the fallback found less
    ],
)
def test_recall_fallback_fires_on_short_output(
    monkeypatch: pytest.MonkeyPatch,
    fast: str,
    full: str,
    calls: list[bool],
    kept: str,
    path: str,
) -> None:
    made = _pretend_trafilatura(monkeypatch, fast, full)
    found = extract_page((HARD, None))
    assert found is not None and (found.text, found.path) == (kept, path)
    assert made == calls


def test_the_extractor_counts_the_path_each_page_took() -> None:
    """``path/one_block`` for a page whose text sits in one block; the other page's path."""
    pages = [ARTICLE, HARD]
    docs = [Document(id=str(n), text=html, source="web", url=f"https://a.test/{n}")
            for n, html in enumerate(pages)]  # fmt: skip
    step = Extractor(timeout=None)
    assert len(list(step(iter(docs)))) == 2
    counts = step.stats.as_dict()
    other = extract_page((HARD, None))
    assert other is not None and other.path in ("trafilatura", "fallback")
    paths = {name: n for name, n in counts.items() if name.startswith("path/")}
    assert paths == {"path/one_block": 1, f"path/{other.path}": 1}


def test_easy_pages_and_link_lists_skip_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    made = _pretend_trafilatura(monkeypatch, "short", "longer text")
    assert "fishermen" in (extract_main_text((ARTICLE, None)) or "")  # one article: no trafilatura
    menu = "<html><body>" + "<div><a href='/a'>a link to a page</a></div>" * 40
    assert extract_main_text((menu, None)) == "short"
    assert made == [True]


def test_a_short_page_with_many_links_in_its_prose_still_gets_the_fallback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A release note whose items link to the docs is prose, not an index: about 40 % of its
    text is link text, under the half that marks a page of links."""
    made = _pretend_trafilatura(monkeypatch, "short", "the whole release note")
    item = "<li>Fixed <a href='/x'>the page cache</a> in a corner case</li>"
    page = f"<html><body><h2>Release 3.6.6</h2><ol>{item * 6}</ol><p>{item}</p>"
    assert extract_main_text((page, None)) == "the whole release note"
    assert made == [True, False]


@pytest.mark.parametrize(
    "page",
    [
        "<div>" * 100_000 + "<p>deep text</p>",
        '<p title="' + "a" * 3_000_000 + '">huge attribute</p>',
        "<html><body><p>unclosed <b><i>tags <table><td>everywhere",
        "\x00" * 1000,
    ],
)
def test_hostile_pages_are_bounded(page: str) -> None:
    step = Extractor(timeout=20.0)
    docs = list(step(iter(_docs(page))))
    stats = step.stats.as_dict()
    assert stats["total"] == 1 and "dropped/timeout" not in stats and "dropped/crashed" not in stats
    assert len(docs) == stats.get("kept", 0)  # kept, or dropped as empty: either way counted
