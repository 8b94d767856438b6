"""One self-contained HTML page: escaped text, sections, tables, inline CSS.

The page is read offline by a data lead or a publisher, often from a mail attachment, so it
asks for nothing at view time: no script, no font, no image by URL. A Content-Security-Policy
meta tag says so to the browser too (``default-src 'none'``), so a stray external reference
fails loudly in the browser tests instead of leaking a request.

Usage::

    from gleaner.report import Page, bar_chart, facts, paragraph, table

    page = Page("Dataset demo, v0002", subtitle="built 2026-12-01")
    page.section(
        "Composition",
        "Plain strings are escaped and shown as a paragraph.",
        bar_chart(["a.example", "b.example"], [12, 3], title="Documents by domain"),
        table(["domain", "documents"], [("a.example", 12), ("b.example", 3)]),
    )
    page.write(Path("report.html"))  # atomic: a temporary name, then a rename

``grid(plot_a, plot_b)`` puts parts side by side. Every helper returns :class:`Html` (markup
that is already safe); any other value given to a helper or to :meth:`Page.section` is text
and is escaped.
"""

from __future__ import annotations

import html
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "Html",
    "Page",
    "escape",
    "facts",
    "grid",
    "note",
    "paragraph",
    "preformatted",
    "table",
]


class Html(str):
    """Markup that is already safe to insert; any other ``str`` is text and gets escaped."""

    __slots__ = ()


def escape(value: Any) -> Html:
    """Text as HTML: ``<script>`` in a publisher's name is shown, never run."""
    if isinstance(value, Html):
        return value
    return Html(html.escape(_text(value), quote=True))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _part(part: Any) -> Html:
    return part if isinstance(part, Html) else paragraph(part)


def paragraph(text: Any) -> Html:
    return Html(f"<p>{escape(text)}</p>")


def note(text: Any) -> Html:
    """A muted aside (what a number means, where it comes from)."""
    return Html(f'<p class="note">{escape(text)}</p>')


def preformatted(text: Any) -> Html:
    """Text shown as is, e.g. a robots.txt excerpt."""
    return Html(f"<pre>{escape(text)}</pre>")


def grid(*parts: Any) -> Html:
    """Parts side by side (two plots of ``width=5``), wrapping on a narrow window."""
    return Html(f'<div class="grid">{"".join(_part(p) for p in parts)}</div>')


def facts(pairs: Iterable[tuple[Any, Any]]) -> Html:
    """A short list of name: value lines (a version's key figures)."""
    items = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in pairs)
    return Html(f'<dl class="facts">{items}</dl>')


def table(columns: Sequence[Any], rows: Iterable[Sequence[Any]], *, caption: Any = None) -> Html:
    """A table; numbers are right-aligned, an empty table says so instead of showing nothing."""
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(f"<tr>{''.join(_cell(v) for v in row)}</tr>" for row in rows)
    if not body:
        body = f'<tr><td class="empty" colspan="{len(columns)}">none</td></tr>'
    cap = f"<caption>{escape(caption)}</caption>" if caption is not None else ""
    return Html(f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def _cell(value: Any) -> str:
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    return f'<td class="num">{escape(value)}</td>' if numeric else f"<td>{escape(value)}</td>"


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;
 margin:0 auto;max-width:1100px;padding:24px 32px;background:#fff}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:36px 0 8px;
 border-bottom:2px solid #d6dbe3;padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.subtitle{color:#5b6675;margin:0 0 20px}.note{color:#5b6675;font-size:13px}
nav{font-size:13px;margin-bottom:8px}nav a{margin-right:14px;color:#2f5f9e}
table{border-collapse:collapse;margin:10px 0 18px;font-size:13px}
th,td{border-bottom:1px solid #e3e7ee;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f3f5f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.empty{color:#8a94a3;font-style:italic}caption{text-align:left;font-weight:600;padding:4px 0}
pre{background:#f6f8fa;padding:8px 12px;overflow-x:auto;font-size:12px}
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 16px;font-size:14px}
dl.facts dt{color:#5b6675}dl.facts dd{margin:0;font-variant-numeric:tabular-nums}
figure{margin:8px 0 16px}svg{max-width:100%;height:auto}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:8px 24px}
"""

# Nothing may load at view time; inline styles (and the SVGs' own) are all the page needs.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class Page:
    """A report page: a title, then sections in the order they are added."""

    def __init__(self, title: Any, *, subtitle: Any = None) -> None:
        self.title = title
        self.subtitle = subtitle
        self._sections: list[tuple[str, Html, Html]] = []  # anchor, heading, body

    def section(self, heading: Any, *parts: Any) -> Page:
        """Add a section; a ``str`` part is a paragraph of text, an :class:`Html` part is as is."""
        anchor = f"s{len(self._sections) + 1}"
        body = "".join(_part(p) for p in parts)
        self._sections.append((anchor, escape(heading), Html(body)))
        return self

    def render(self) -> str:
        nav = "".join(f'<a href="#{a}">{h}</a>' for a, h, _ in self._sections)
        sub = f'<p class="subtitle">{escape(self.subtitle)}</p>' if self.subtitle else ""
        sections = "".join(
            f'<section id="{a}"><h2>{h}</h2>{body}</section>' for a, h, body in self._sections
        )
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(self.title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{escape(self.title)}</h1>{sub}<nav>{nav}</nav>{sections}</body></html>\n"
        )

    def write(self, path: Path) -> Path:
        """Write the page atomically: a reader never sees half a report."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self.render())
            os.chmod(tmp, 0o644)  # a report is for sharing; mkstemp makes it owner-only
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path
