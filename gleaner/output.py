"""Printing results for people: tables, CSV or JSON.

A table is cut to the terminal's width on a terminal only: piped or redirected,
it is printed at its full width (rich would otherwise assume 80 columns and
wrap or cut every cell), and ``gleaner sql`` prints CSV unless asked for a table.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from pipeline.funnel import Funnel

__all__ = ["console", "default_format", "err_console", "print_funnel", "print_rows"]

console = Console(highlight=False)
err_console = Console(highlight=False, stderr=True)  # progress and reports beside the output

#: Wide enough for any row: a piped table is never cut.
_UNCUT = 1_000_000


def default_format() -> str:
    """``table`` on a terminal, ``csv`` when stdout is piped or redirected."""
    return "table" if sys.stdout.isatty() else "csv"


def _table_console() -> Console:
    if console.is_terminal:
        return console
    return Console(highlight=False, width=_UNCUT, file=sys.stdout)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def print_rows(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str = "table",
    title: str | None = None,
) -> None:
    """Print a result set as a table (default), CSV or JSON lines."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
    elif fmt == "json":
        for row in rows:
            print(
                json.dumps({c: _plain(v) for c, v in zip(columns, row, strict=True)}, default=str)
            )
    else:
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*("" if v is None else str(_plain(v)) for v in row))
        _table_console().print(table)


def print_funnel(report: Funnel, to: Console = console) -> None:
    """The funnel of a build: each stage in bold, its reasons indented beneath it."""
    to.rule("Funnel")
    for row in report.rows:
        line = f"{'    ' * row.level}{row.label}: {row.count}"
        # Text, not markup: a reason may hold brackets (a rule, a header value).
        to.print(Text(line, style="" if row.level else "bold"), soft_wrap=True)
