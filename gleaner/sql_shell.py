"""``gleaner sql DATASET`` with no statement: read statements from stdin until EOF.

A statement ends at a line ending in ``;`` outside a string literal (or at end
of input). Each result is
printed in the chosen format; a failing statement prints ``Error: ...`` and the
shell goes on, exiting 1 at the end if any statement failed. The shell runs in
the same read-only sandbox as a single statement (:mod:`pipeline.sql_sandbox`):
a statement that is not a read is refused like any other failing statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import click
import duckdb

from gleaner.output import print_rows
from pipeline.errors import QueryRefused
from pipeline.sql import VIEWS, connect
from pipeline.sql_sandbox import read_statements

__all__ = ["run_shell", "statements"]

PROMPT = "gleaner> "


def statements(lines: Iterable[str]) -> Iterator[str]:
    """Group input lines into statements, each ending with a ``;`` line or at EOF."""
    buffer: list[str] = []
    for line in lines:
        buffer.append(line)
        text = "".join(buffer).strip()
        # Balanced quotes: a ';' ending a line inside a string literal does not end it.
        if text.endswith(";") and text.count("'") % 2 == 0:
            yield text
            buffer = []
    rest = "".join(buffer).strip()
    if rest:
        yield rest


def run_shell(
    dataset: Path,
    stream: TextIO,
    fmt: str,
    *,
    version: str | None = None,
    allow_external: bool = False,
    tokens: Path | None = None,
) -> int:
    """Run every statement read from ``stream``; return the exit code (1 if any failed)."""
    interactive = stream.isatty()
    if interactive:
        click.echo(f"views: {', '.join(VIEWS)}; end a statement with ';', quit with Ctrl-D")
    con = connect(dataset, version=version, allow_external=allow_external, tokens=tokens)
    failed = 0
    try:
        for text in statements(_lines(stream, interactive)):
            failed += not _run(con, text, fmt, sandboxed=not allow_external)
    finally:
        con.close()
    return 1 if failed else 0


def _lines(stream: TextIO, interactive: bool) -> Iterator[str]:
    while True:
        if interactive:
            click.echo(PROMPT, nl=False)
        line = stream.readline()
        if not line:
            return
        yield line


def _run(con: duckdb.DuckDBPyConnection, text: str, fmt: str, *, sandboxed: bool) -> bool:
    try:
        parsed = read_statements(con, text) if sandboxed else con.extract_statements(text)
        for statement in parsed:
            result = con.execute(statement.query)
            if result.description:
                columns = [d[0] for d in result.description]
                print_rows(columns, result.fetchall(), fmt)
    except (duckdb.Error, QueryRefused) as exc:
        click.echo(f"Error: {exc}", err=True)
        return False
    return True
