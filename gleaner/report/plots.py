"""Plots as inline SVG, drawn by matplotlib: static, no script, nothing fetched at view time.

Each function takes plain data and returns :class:`~gleaner.report.page.Html` (an ``<svg>``
inside a ``<figure>``) to pass to :meth:`Page.section`; no data gives a short note instead of
an empty frame. Output is deterministic: the same data gives the same bytes (a fixed
``svg.hashsalt``, no date in the metadata), so reports can be compared and tested.

Usage::

    bar_chart(["a.example", "b.example"], [12, 3], title="Documents by domain")
    funnel_chart([("URLs considered", 120), ("fetched", 90), ("kept", 40)], title="Consent")
    grouped_bars(["v0001", "v0002"], {"added": [40, 2], "removed": [0, 5]}, title="Versions")
    timeline([t1, t2], ["digest ab12", "digest cd34"], lanes=["200", "200"], title="robots.txt")

Each takes ``width=`` in inches (default 7; about 5 for two plots side by side in a
``grid(...)``); the page scales them down to the window.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import wraps
from typing import Any, ParamSpec

import matplotlib

matplotlib.use("Agg")  # no display, ever; set before any figure is made

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from gleaner.report.page import Html, escape, note

__all__ = ["PALETTE", "bar_chart", "funnel_chart", "grouped_bars", "timeline"]

#: Colour-blind-safe (Okabe-Ito), in the order series are drawn.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")

_RC: dict[Any, Any] = {
    "svg.hashsalt": "gleaner",  # clip-path ids from content, not from a random salt
    "svg.fonttype": "none",  # text stays text: small, selectable, no embedded glyphs
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
}
_WIDTH = 7.0  # inches; the page scales the SVG down on narrow screens
_MAX_LABEL = 40
_P = ParamSpec("_P")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


def _styled(draw: Callable[_P, Html]) -> Callable[_P, Html]:
    """Draw with the house style, without touching matplotlib's global settings."""

    @wraps(draw)
    def styled(*args: _P.args, **kwargs: _P.kwargs) -> Html:
        with rc_context(_RC):
            return draw(*args, **kwargs)

    return styled


@_styled
def bar_chart(
    labels: Sequence[Any],
    values: Sequence[float],
    *,
    title: str,
    xlabel: str = "documents",
    limit: int = 15,
    width: float = _WIDTH,
) -> Html:
    """Horizontal bars, largest on top; past ``limit`` the rest are summed as "other"."""
    pairs = sorted(zip(labels, values, strict=True), key=lambda p: (-p[1], str(p[0])))
    if len(pairs) > limit:
        rest = sum(v for _, v in pairs[limit - 1 :])
        pairs = [*pairs[: limit - 1], (f"other ({len(pairs) - limit + 1})", rest)]
    return funnel_chart([(str(k), v) for k, v in pairs], title=title, xlabel=xlabel, width=width)


@_styled
def funnel_chart(
    stages: Sequence[tuple[str, float]],
    *,
    title: str,
    xlabel: str = "documents",
    width: float = _WIDTH,
) -> Html:
    """Horizontal bars in the order given, first on top, each labelled with its value."""
    if not stages or not any(v for _, v in stages):
        return _empty(title)
    names = [_short(s) for s, _ in stages][::-1]
    values = [v for _, v in stages][::-1]
    fig = _figure(width, 0.9 + 0.28 * len(stages))
    ax = fig.add_subplot()
    bars = ax.barh(names, values, color=PALETTE[0], height=0.65)
    ax.bar_label(bars, labels=[f"{v:,.0f}" for v in values], padding=3, fontsize=8)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.25 of a page
    ax.set_title(title, loc="left")
    ax.margins(x=0.12)
    return _svg(fig, title)


@_styled
def grouped_bars(
    categories: Sequence[str],
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    ylabel: str = "documents",
    width: float = _WIDTH,
) -> Html:
    """Vertical bars, one group per category (e.g. a version), one colour per series."""
    if not categories or not any(any(v) for v in series.values()):
        return _empty(title)
    fig = _figure(width, 3.0)
    ax = fig.add_subplot()
    width = 0.8 / max(len(series), 1)
    for i, (name, values) in enumerate(series.items()):
        xs = [c + (i - (len(series) - 1) / 2) * width for c in range(len(categories))]
        bars = ax.bar(xs, values, width, label=name, color=PALETTE[i % len(PALETTE)])
        ax.bar_label(bars, labels=[f"{v:,.0f}" if v else "" for v in values], fontsize=7)
    ax.set_xticks(range(len(categories)), [_short(c) for c in categories])
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, loc="left")
    ax.legend(frameon=False, ncols=len(series), loc="upper left", bbox_to_anchor=(0, -0.12))
    return _svg(fig, title)


@_styled
def timeline(
    times: Sequence[datetime],
    labels: Sequence[str],
    *,
    title: str,
    lanes: Sequence[str] | None = None,
    width: float = _WIDTH,
) -> Html:
    """Events on a time axis, one row per lane (e.g. HTTP status), each dot labelled."""
    if not times:
        return _empty(title)
    lane_of = list(lanes) if lanes is not None else [""] * len(times)
    names = list(dict.fromkeys(lane_of))
    xs = [_days(t) for t in times]
    fig = _figure(width, 1.2 + 0.45 * len(names))
    ax = fig.add_subplot()
    ax.xaxis_date()
    for i, name in enumerate(names):
        ts = [x for x, lane in zip(xs, lane_of, strict=True) if lane == name]
        ax.plot(ts, [i] * len(ts), "o", color=PALETTE[i % len(PALETTE)], markersize=7)
    for t, text, lane in zip(xs, labels, lane_of, strict=True):
        ax.annotate(
            _short(text),
            (t, names.index(lane)),
            textcoords="offset points",
            xytext=(0, 8),
            ha="center",
            fontsize=7,
        )
    ax.set_yticks(range(len(names)), [_short(n) for n in names])
    ax.set_ylim(-0.6, len(names) - 0.4)
    ax.set_title(title, loc="left")
    fig.autofmt_xdate()
    return _svg(fig, title)


def _days(moment: datetime) -> float:
    """Matplotlib's date number (days since its 1970 epoch); a naive time is UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.timestamp() / 86400


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "…"


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, min(height, 9.0)), layout="constrained")


def _svg(fig: Figure, title: str) -> Html:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # inline: no XML declaration or DOCTYPE inside HTML
    svg = _METADATA.sub("", svg, count=1)  # RDF boilerplate, full of vocabulary URLs
    label = escape(title)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return Html(f'<figure class="plot">{svg}</figure>')


def _empty(title: str) -> Html:
    return note(f"{title}: nothing to plot.")
