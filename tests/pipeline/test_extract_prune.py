from __future__ import annotations

import pytest

from pipeline.extract_prune import parse, parse_pruned, text_length, visible_length

MAIN = "<p>The harbour wall was repaired over the winter by divers and a floating crane.</p>"


def _body_text(page: str) -> str:
    tree = parse_pruned(page)
    assert tree is not None
    return " ".join(tree.find("body").text_content().split())


@pytest.mark.parametrize(
    ("chrome", "gone"),
    [
        ("<script>var tracker = 'SCRIPTED';</script>", "SCRIPTED"),
        ("<style>.x { content: 'STYLED' }</style>", "STYLED"),
        ("<svg><text>DRAWN</text></svg>", "DRAWN"),
        ("<!-- COMMENTED -->", "COMMENTED"),
        ("<noscript>NOSCRIPT</noscript>", "NOSCRIPT"),
        ("<nav><a href='/'>NAVIGATION</a></nav>", "NAVIGATION"),
        ("<footer>FOOTED</footer>", "FOOTED"),
        ("<div hidden>HIDDEN</div>", "HIDDEN"),
        ("<div aria-hidden='true'>ARIAHIDDEN</div>", "ARIAHIDDEN"),
        ("<div style='display: none'>UNDISPLAYED</div>", "UNDISPLAYED"),
        ("<div style='VISIBILITY:HIDDEN'>INVISIBLE</div>", "INVISIBLE"),
        ("<form><select><option>OPTION</option></select></form>", "OPTION"),
    ],
)
def test_pruning_drops_the_chrome_and_keeps_the_main_text(chrome: str, gone: str) -> None:
    text = _body_text(f"<html><body>{chrome}<article>{MAIN}</article>{chrome}</body></html>")
    assert "floating crane" in text and gone not in text


@pytest.mark.parametrize(
    "page",
    [
        "<div>before <span hidden>x</span>after</div>",  # the tail of a dropped element stays
        "<pre>code <span class='k'>def</span> <span class='n'>f</span>()</pre>",
        "<p><span class='highlight'>kept</span> and <span class='share-button'>x</span></p>",
    ],
)
def test_pruning_keeps_text_around_what_it_drops(page: str) -> None:
    assert _body_text(f"<html><body>{page}</body></html>") in {
        "before after",
        "code def f()",
        "kept and x",
    }


def test_styling_spans_are_unwrapped_but_boilerplate_spans_stay() -> None:
    tree = parse_pruned(
        "<html><body><pre><span class='k'>def</span></pre>"
        "<p><span class='n'>a</span><span class='share-links'>b</span></p></body></html>"
    )
    assert tree is not None
    assert [span.get("class") for span in tree.iter("span")] == ["share-links"]


def test_the_head_is_left_for_title_and_date() -> None:
    tree = parse_pruned("<html><head><title>T</title><script>{}</script></head><body>x</body>")
    assert tree is not None and tree.find(".//title") is not None
    assert tree.find("head/script") is not None


def test_visible_length_counts_pruned_body_text() -> None:
    tree = parse_pruned("<html><body><p>abc   def</p><script>zzz</script></body></html>")
    assert tree is not None and visible_length(tree) == len("abc def")
    assert text_length(tree.find("body")) == 7


@pytest.mark.parametrize(
    ("page", "budget"),
    [
        ("<div>" * 50_000 + "deep" + "</div>" * 50_000, 1 << 22),  # nesting past libxml2's limit
        ('<p title="' + "a" * 5_000_000 + '">huge attribute</p>', 1 << 22),
        ("<p>" + "word " * 400_000 + "</p>", 1 << 20),  # cut to the budget
        ("<<<>>><p <div </html></body><title>", 1 << 20),
        ("", 1 << 20),
        ("\x00\ud800 stray bytes", 1 << 20),
        ('<?xml version="1.0" encoding="utf-8"?><html><body><p>xhtml</p></body></html>', 1 << 20),
    ],
)
def test_hostile_pages_parse_within_the_budget_or_give_none(page: str, budget: int) -> None:
    tree = parse(page, budget)
    if tree is not None:
        body = tree.find("body")
        assert body is None or text_length(body) <= budget
