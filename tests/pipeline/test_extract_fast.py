from __future__ import annotations

import pytest

from pipeline.extract_fast import block_text, dominant_block, is_link_list
from pipeline.extract_prune import parse_pruned

PROSE = "<p>" + "The harbour wall was repaired by divers over the winter months. " * 8 + "</p>"
MENU = "<ul class='links'>" + "<li><a href='/x'>A link to somewhere</a></li>" * 6 + "</ul>"


def _body(page: str):  # type: ignore[no-untyped-def]
    tree = parse_pruned(f"<html><body>{page}</body></html>")
    assert tree is not None
    return tree.find("body")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (f"<div id='top'>{MENU}</div><main id='m'>{PROSE}</main>", "m"),  # one main element
        (f"<div>{MENU}</div><div role='main' id='r'>{PROSE}</div>", "r"),
        (f"<div id='outer'><div id='inner'>{PROSE}{PROSE}</div></div><p>x</p>", "inner"),
        (f"<div id='a'>{PROSE}</div><div id='b'>{PROSE}</div>", None),  # text in two places
        (f"<main id='links'>{MENU * 5}</main>", None),  # a link list is a hard page
        ("", None),
    ],
)
def test_dominant_block(page: str, expected: str | None) -> None:
    block = dominant_block(_body(page))
    assert (block.get("id") if block is not None else None) == expected


def test_block_text_writes_one_line_per_block_and_skips_named_boilerplate() -> None:
    block = _body(
        "<h1>Title</h1><p>One <b>bold</b> line.</p><ul><li>first</li><li>second</li></ul>"
        "<div class='share-buttons'>Share this</div><pre>a = 1\n  b = 2</pre>"
        "<table><tr><td>x</td><td>y</td></tr></table>"
    )
    assert block_text(block).splitlines() == [
        "Title",
        "One bold line.",
        "- first",
        "- second",
        "a = 1",
        "  b = 2",
        "x | y",
    ]


def test_block_text_skips_link_bars_near_the_top_of_the_block() -> None:
    block = _body(f"{MENU}<section>{PROSE}</section>")
    text = block_text(block)
    assert "A link to somewhere" not in text and "harbour wall" in text


def test_several_posts_keep_their_linked_titles_and_drop_their_footers() -> None:
    """A blog's front page: each post's title is one link (not a menu), and the post footer
    ("Posted <date>", however its class compounds the word) is boilerplate."""
    post = (
        "<div class='post'><div class='postheader'><a href='/p'>Harbour news</a></div>"
        f"<div class='postbody'>{PROSE}</div>"
        "<div class='inlinefooter'>Posted Sun Feb 2 2020</div></div>"
    )
    text = block_text(_body(post * 3))
    assert text.count("Harbour news") == 3 and "harbour wall" in text
    assert "Posted" not in text


def test_is_link_list() -> None:
    assert is_link_list(_body(MENU)) and not is_link_list(_body(PROSE + MENU))
