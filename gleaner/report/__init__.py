"""HTML reports: a self-contained page builder and matplotlib plots as inline SVG.

``gleaner report`` (the dataset) and ``gleaner audit --format html`` (one publisher) build
their pages with these; see :mod:`gleaner.report.page` and :mod:`gleaner.report.plots`.
"""

from gleaner.report.page import (
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
from gleaner.report.plots import bar_chart, funnel_chart, grouped_bars, timeline

__all__ = [
    "Html",
    "Page",
    "bar_chart",
    "escape",
    "facts",
    "funnel_chart",
    "grid",
    "grouped_bars",
    "note",
    "paragraph",
    "preformatted",
    "table",
    "timeline",
]
