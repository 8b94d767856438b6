"""Print the comparison table and write ``results.json``.

The table uses rich when it is importable (it is one of Gleaner's dependencies) and falls back
to plain aligned text, so the harness also runs from a bare interpreter. Cells stay short so the
table fits an 80-column CI log; why a side is missing goes in a numbered note under the table.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from bench.results import Side, Unavailable

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from bench.results import Result

__all__ = ["HEADERS", "print_table", "table_cells", "write_results"]

HEADERS = ("row", "unit", "ours", "theirs", "ratio", "ours in→out", "theirs in→out")


class _Notes:
    """Numbers each distinct reason for a missing side once: ``n/a [1]``."""

    def __init__(self) -> None:
        self.reasons: list[str] = []

    def ref(self, reason: str) -> str:
        if reason not in self.reasons:
            self.reasons.append(reason)
        return f"n/a [{self.reasons.index(reason) + 1}]"

    def lines(self) -> list[str]:
        return [f"[{number}] {reason}" for number, reason in enumerate(self.reasons, 1)]


def _rate(side: Side | Unavailable, notes: _Notes) -> str:
    if isinstance(side, Unavailable):
        return notes.ref(side.reason)
    return f"{side.rate:,.1f} ({side.seconds:.1f} s)"


def _flow(side: Side | Unavailable) -> str:
    return "-" if isinstance(side, Unavailable) else f"{side.docs_in} → {side.docs_out}"


def _ratio(result: Result) -> str:
    return "-" if result.ratio is None else f"{result.ratio:.2f}"


def table_cells(results: Sequence[Result]) -> tuple[list[tuple[str, ...]], list[str]]:
    """Display strings per result in ``HEADERS`` order, and the notes they refer to."""
    notes = _Notes()
    cells: list[tuple[str, ...]] = [
        (
            r.name,
            r.unit,
            _rate(r.ours, notes),
            _rate(r.theirs, notes),
            _ratio(r),
            _flow(r.ours),
            _flow(r.theirs),
        )
        for r in results
    ]
    return cells, notes.lines()


def _print_plain(cells: list[tuple[str, ...]], footer: list[str]) -> None:
    widths = [max(len(row[i]) for row in [HEADERS, *cells]) for i in range(len(HEADERS))]
    for row in [HEADERS, tuple("-" * w for w in widths), *cells]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    print("\n".join(footer))


def print_table(results: Sequence[Result], caption: str) -> None:
    """Print the table, its notes, then ``caption`` (versions and input, to read it by)."""
    cells, notes = table_cells(results)
    footer = [*notes, caption]
    try:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table
    except ImportError:
        _print_plain(cells, footer)
        return
    table = Table(title="Gleaner (ours) vs anchors (theirs)")
    for index, header in enumerate(HEADERS):
        table.add_column(header, justify="left" if index < 2 else "right")
    for row in cells:
        table.add_row(*(escape(cell) for cell in row))
    console = Console()
    if not console.is_terminal:
        # Rich assumes 80 columns when piped; CI logs and `tee` have room for the whole table.
        console = Console(width=120)
    console.print(table)
    console.print("\n".join(footer), highlight=False, markup=False)


def write_results(path: Path, results: Sequence[Result], run_info: dict[str, Any]) -> None:
    """Write the run's description and every result as JSON (ratio > 1: Gleaner faster)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {**run_info, "rows": [result.to_json() for result in results]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
