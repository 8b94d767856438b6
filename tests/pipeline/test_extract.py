from __future__ import annotations

from datetime import date

import pytest

from pipeline.document import Document
from pipeline.extract import Extractor, extract_main_text
from pipeline.extract_meta import extract_published, extract_title
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
