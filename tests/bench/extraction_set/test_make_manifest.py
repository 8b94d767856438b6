"""The kinds that are tests on a page: several posts on one page, and replies in a page."""

from __future__ import annotations

import pytest

from bench.extraction_set.make_manifest import several_posts, threaded
from bench.extraction_set.rules import main_element, main_text

POST = "<div class='inlinepage'><p>A post.</p></div>"
SIGNED = "<p>Works for me. --<span class='createlink'>Joey</span></p>"
QUOTE = "<blockquote><p>Does it work?</p></blockquote>"
OPTION = "<p>Run <code>ikiwiki --setup</code> then <a href='x'>rebuild</a>.</p>"


def _page(content: str) -> str:
    return f"<html><body><div id='content'>{content}</div></body></html>"


@pytest.mark.parametrize(
    ("content", "posts", "replies"),
    [
        (POST * 2, True, False),
        (POST, False, False),  # one post is an article
        (SIGNED * 3, False, True),  # three signed answers
        (QUOTE + SIGNED * 2, False, True),  # a quoted question and two answers
        (QUOTE + SIGNED, False, False),  # one exchange is not yet a discussion
        (OPTION * 3, False, False),  # a command-line option is no signature
    ],
)
def test_kind_tests(content: str, posts: bool, replies: bool) -> None:
    html = _page(content)
    node = main_element(html, "ikiwiki")
    assert node is not None
    text = main_text(html, "ikiwiki")
    assert (several_posts(node, text), threaded(node, text)) == (posts, replies)
