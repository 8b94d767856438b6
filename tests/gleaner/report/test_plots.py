"""Plots: inline SVG with something drawn, deterministic, and a note when there is no data."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from gleaner.report import Html, bar_chart, funnel_chart, grouped_bars, timeline

T0, T1 = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)

PLOTS: dict[str, Callable[[], Html]] = {
    "bar": lambda: bar_chart(["a.example", "b.example"], [12, 3], title="By domain"),
    "funnel": lambda: funnel_chart([("considered", 10), ("kept", 4)], title="Funnel"),
    "grouped": lambda: grouped_bars(["v0001", "v0002"], {"added": [4, 1]}, title="Versions"),
    "timeline": lambda: timeline([T0, T1], ["ab12", "cd34"], lanes=["200", "200"], title="r"),
}


@pytest.mark.parametrize("make", PLOTS.values(), ids=PLOTS.keys())
def test_a_plot_is_inline_svg_with_drawing(make: Callable[[], Html]) -> None:
    svg = make()
    assert svg.startswith('<figure class="plot"><svg ')
    assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<metadata>" not in svg
    assert "<path " in svg


@pytest.mark.parametrize("make", PLOTS.values(), ids=PLOTS.keys())
def test_the_same_data_gives_the_same_bytes(make: Callable[[], Html]) -> None:
    assert make() == make()


@pytest.mark.parametrize("make", PLOTS.values(), ids=PLOTS.keys())
def test_a_plot_refers_to_nothing_outside_itself(make: Callable[[], Html]) -> None:
    refs = re.findall(r'(?:xlink:)?href="([^"]*)"', make())
    assert all(ref.startswith("#") for ref in refs)


@pytest.mark.parametrize(
    "make",
    [
        lambda: bar_chart([], [], title="Nothing"),
        lambda: funnel_chart([("a", 0)], title="Nothing"),
        lambda: grouped_bars([], {}, title="Nothing"),
        lambda: timeline([], [], title="Nothing"),
    ],
)
def test_no_data_is_a_note_not_an_empty_frame(make: Callable[[], Html]) -> None:
    assert make() == '<p class="note">Nothing: nothing to plot.</p>'


def test_bars_are_sorted_largest_first_and_the_tail_is_summed() -> None:
    svg = bar_chart([f"d{i}" for i in range(5)], [1, 5, 3, 2, 4], title="t", limit=3)
    assert "other (3)" in svg
    # Drawn bottom to top, so the largest is the last label drawn.
    assert svg.index("other (3)") < svg.index(">d4<") < svg.index(">d1<")


def test_a_title_with_markup_is_escaped_in_the_label() -> None:
    assert "<script>" not in bar_chart(["a"], [1], title="<script>x</script>")


def test_labels_with_markup_are_escaped() -> None:
    svg = bar_chart(['<script>alert("x")</script>'], [1], title="t")
    assert "<script" not in svg and "&lt;script&gt;" in svg


def test_a_single_event_still_draws_a_timeline() -> None:
    assert "<path " in timeline([T0], ["only fetch"], title="robots.txt")


def test_plotting_leaves_matplotlib_settings_alone() -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    bar_chart(["a"], [1], title="t")
    assert dict(matplotlib.rcParams) == before
