"""The crawler trap: an events calendar whose pages link to the next and previous month forever.

Every page is small and finite (a month page has one link per day plus two), but the URL space
is not: a crawler that keeps following "next month" never runs out. Years 0001 to 9999 exist,
which is endless for any crawl budget. Content depends only on the date in the URL.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Mapping
from datetime import date, timedelta
from html import escape

from ._bank import load_site_texts
from ._model import Link, Publisher
from ._render import href, pretty_date, render_document

__all__ = ["render_calendar"]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_QUIET_DAYS = 3  # extra slots in the event rotation that mean "nothing on"


def _parse(prefix: str, path: str) -> tuple[date, bool] | None:
    """(first day or day, is_day_page) for a valid calendar path, else None."""
    match = re.fullmatch(re.escape(prefix) + r"(\d{4})/(\d{2})(?:/(\d{2}))?", path)
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    if match[3] is None:
        return date(year, month, 1), False
    day = int(match[3])
    if not 1 <= day <= monthrange(year, month)[1]:
        return None
    return date(year, month, day), True


def _month_path(prefix: str, day: date) -> str:
    return f"{prefix}{day.year:04d}/{day.month:02d}"


def _day_path(prefix: str, day: date) -> str:
    return f"{_month_path(prefix, day)}/{day.day:02d}"


def _shift_month(day: date, step: int) -> date | None:
    index = day.year * 12 + day.month - 1 + step
    year, month = divmod(index, 12)
    return date(year, month + 1, 1) if 1 <= year <= 9999 else None


def _links(links: list[Link], base_urls: Mapping[str, str], css: str) -> str:
    items = "".join(
        f'<li><a href="{escape(href(k, base_urls))}">{escape(k.text)}</a></li>' for k in links
    )
    return f'<ul class="{css}">{items}</ul>'


def _month_main(prefix: str, first: date, base_urls: Mapping[str, str]) -> tuple[str, str]:
    title = f"Events in {pretty_date(first.isoformat()).split(' ', 1)[1]}"
    around = [(_shift_month(first, -1), "Previous month"), (_shift_month(first, 1), "Next month")]
    nav = [Link(_month_path(prefix, d), text) for d, text in around if d is not None]
    days = [
        Link(_day_path(prefix, first.replace(day=n)), str(n))
        for n in range(1, monthrange(first.year, first.month)[1] + 1)
    ]
    grid = _links(days, base_urls, "calendar-grid")
    main = f"<h1>{escape(title)}</h1>\n{_links(nav, base_urls, 'pager')}\n{grid}"
    return title, main


def _day_main(prefix: str, day: date, base_urls: Mapping[str, str]) -> tuple[str, str]:
    title = f"Events on {_WEEKDAYS[day.weekday()]} {pretty_date(day.isoformat())}"
    events = load_site_texts()["calendar"].texts["events"]
    slot = day.toordinal() % (len(events) + _QUIET_DAYS)
    listing = (
        f"{events[slot]}, seven in the evening." if slot < len(events) else "No events listed."
    )
    nav = [Link(_month_path(prefix, day), "Back to the month")]
    for step, text in ((-1, "Previous day"), (1, "Next day")):
        try:
            nav.append(Link(_day_path(prefix, day + timedelta(days=step)), text))
        except OverflowError:  # 0001-01-01 and 9999-12-31 have no neighbour
            continue
    main = f"<h1>{escape(title)}</h1>\n<p>{escape(listing)}</p>\n{_links(nav, base_urls, 'pager')}"
    return title, main


def render_calendar(publisher: Publisher, path: str, base_urls: Mapping[str, str]) -> str | None:
    """The calendar page at ``path``, or None when ``path`` is not a valid calendar URL."""
    prefix = publisher.trap_prefix
    parsed = _parse(prefix, path) if prefix else None
    if prefix is None or parsed is None:
        return None
    day, is_day = parsed
    title, main = (_day_main if is_day else _month_main)(prefix, day, base_urls)
    return render_document(publisher, title, main, base_urls)
