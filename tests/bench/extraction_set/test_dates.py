"""A page's true publication date is the one its generator writes as the page's own, or none."""

from __future__ import annotations

from datetime import date

import pytest

from bench.extraction_set.dates import published_date
from tests.bench.extraction_set.test_rules import IKIWIKI, SPHINX

RELEASE = b"""<html><body><div class=nosearch>Small. Fast. Reliable.</div>
<h2>SQLite Release 3.6.6 On 2008-11-19</h2><p><b>Changes in version 3.6.5 (2008-11-12):</b>
</p></body></html>"""
ESSAY = b"<html><body><h1>Appropriate Uses</h1><p>Changed on 2022-01-02.</p></body></html>"
PADDED = b'<div class="pagedate"><!-- Created <span class="date">Sun Feb  2 20:23:50 2020</span>'


@pytest.mark.parametrize(
    ("html", "rule", "expected"),
    [
        (RELEASE, "sqlite", date(2008, 11, 19)),  # the heading's day, not an older release's
        (ESSAY, "sqlite", None),  # a date in the text is not the page's date
        (IKIWIKI.encode(), "ikiwiki", date(2008, 3, 20)),  # "Created", not "Last edited"
        (PADDED, "ikiwiki", date(2020, 2, 2)),  # ctime pads the day with a space
        (b"<html><body><p>A page.</p></body></html>", "ikiwiki", None),
        (SPHINX.encode(), "sphinx", None),  # documentation states no publication date
    ],
)
def test_published_date_by_rule(html: bytes, rule: str, expected: date | None) -> None:
    assert published_date(html, rule) == expected
