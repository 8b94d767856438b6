"""The sandbox ``gleaner sql`` runs DuckDB in: read the version's files, nothing else.

DuckDB can by default read and write any file the user can (``COPY ... TO``,
``read_text``, ``ATTACH``) and download extensions on first use. A dataset is
an immutable, shareable snapshot and the build promises that nothing downloads
at run time, so a query gets neither:

* extension autoinstall and autoload are off from the start;
* once the views are defined, ``allowed_paths`` is set to exactly the files the
  views read, external access is disabled (no other file, no URL, no
  extension loading) and the configuration is locked so a query cannot undo it;
* only read statements (``SELECT`` in all its forms, ``EXPLAIN``) run: DuckDB
  lets an allowed path be written, so ``COPY`` into the version, ``ATTACH``,
  ``INSTALL`` and ``CREATE`` are refused before DuckDB sees them.

``--allow-external`` skips all of this and gives DuckDB's defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from pipeline.errors import QueryRefused

__all__ = ["READ_STATEMENTS", "SANDBOX_CONFIG", "lock_down", "open_connection", "read_statements"]

#: Statement types the sandbox runs; everything else is refused.
READ_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})

#: Settings given when the connection opens, before any view exists.
SANDBOX_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def open_connection(*, allow_external: bool) -> duckdb.DuckDBPyConnection:
    """An in-memory connection: DuckDB's defaults, or with extensions kept from loading."""
    return duckdb.connect(config={} if allow_external else dict(SANDBOX_CONFIG))


def lock_down(con: duckdb.DuckDBPyConnection, readable: Iterable[Path]) -> None:
    """Allow reading exactly ``readable``, shut every other file and URL out, lock it."""
    paths = ", ".join(_literal(str(p)) for p in readable)
    con.execute(f"SET allowed_paths = [{paths}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def read_statements(con: duckdb.DuckDBPyConnection, text: str) -> list[duckdb.Statement]:
    """The statements of ``text``; raise :class:`QueryRefused` if any is not a read."""
    statements = con.extract_statements(text)
    for statement in statements:
        if statement.type not in READ_STATEMENTS:
            kind = statement.type.name
            raise QueryRefused(
                f"{kind} statement refused: gleaner sql is read-only (SELECT and EXPLAIN "
                "only); --allow-external lifts the sandbox"
            )
    return statements


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
