"""The page builder: text is escaped, nothing is fetched at view time, writes are atomic."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from gleaner.report import (
    Html,
    Page,
    escape,
    facts,
    grid,
    note,
    paragraph,
    preformatted,
    table,
)

HOSTILE = '<script>alert("x")</script>'


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (HOSTILE, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"),
        ("a & b", "a &amp; b"),
        (None, ""),
        (1234567, "1,234,567"),
        (0.25, "0.25"),
        (datetime(2026, 12, 1, 13, 5, 9), "2026-12-01 13:05:09"),
        (date(2026, 12, 1), "2026-12-01"),
        (Html("<b>kept</b>"), "<b>kept</b>"),
    ],
)
def test_values_are_shown_as_text(value: object, shown: str) -> None:
    assert escape(value) == shown


@pytest.mark.parametrize(
    "part",
    [
        lambda: Page(HOSTILE).render(),
        lambda: Page("t", subtitle=HOSTILE).render(),
        lambda: Page("t").section(HOSTILE).render(),
        lambda: Page("t").section("h", HOSTILE).render(),
        lambda: table([HOSTILE], [(HOSTILE,)], caption=HOSTILE),
        lambda: facts([(HOSTILE, HOSTILE)]),
        lambda: paragraph(HOSTILE) + note(HOSTILE) + preformatted(HOSTILE),
    ],
)
def test_a_publisher_name_with_a_script_is_shown_never_run(part: object) -> None:
    out = part()  # type: ignore[operator]
    assert "<script" not in out
    assert "&lt;script&gt;" in out


def test_the_page_asks_for_nothing_at_view_time() -> None:
    out = Page("t").section("h", "text", table(["a"], [("http://example.com/",)])).render()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", out)
    assert "default-src 'none'" in out
    assert "<script" not in out and "<link" not in out


def test_sections_come_in_order_with_a_link_to_each() -> None:
    out = Page("t").section("First").section("Second").render()
    assert out.index("First") < out.index("Second")
    assert '<a href="#s1">First</a>' in out and '<section id="s2">' in out


def test_numbers_are_right_aligned_and_an_empty_table_says_so() -> None:
    assert '<td class="num">3</td>' in table(["n"], [(3,)])
    assert ">none<" in table(["a", "b"], [])


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.html"
    Page("t").write(target)
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in target.parent.iterdir()] == ["report.html"]


def test_a_grid_holds_its_parts_side_by_side() -> None:
    assert grid(Html("<b>a</b>"), "b") == '<div class="grid"><b>a</b><p>b</p></div>'
