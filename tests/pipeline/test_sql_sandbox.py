"""The SQL sandbox's statement check: reads run, everything else is refused by type."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.errors import QueryRefused
from pipeline.sql_sandbox import lock_down, open_connection, read_statements


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        ("SELECT 1", None),
        ("WITH t AS (SELECT 1 AS x) SELECT x FROM t", None),
        ("VALUES (1), (2)", None),
        ("EXPLAIN SELECT 1", None),
        ("SELECT 1; SELECT 2", None),
        ("COPY (SELECT 1) TO 'x.csv'", "COPY"),
        ("EXPORT DATABASE 'out'", "EXPORT"),
        ("ATTACH 'x.duckdb' AS x", "ATTACH"),
        ("DETACH x", "DETACH"),
        ("INSTALL httpfs", "LOAD"),
        ("LOAD httpfs", "LOAD"),
        ("SET threads = 1", "SET"),
        ("CREATE TABLE t (a INT)", "CREATE"),
        ("INSERT INTO t VALUES (1)", "INSERT"),
        ("PRAGMA show_tables", "PRAGMA"),
        ("CALL pragma_version()", "CALL"),
        ("SELECT 1; COPY (SELECT 1) TO 'x.csv'", "COPY"),
    ],
)
def test_only_reads_pass(sql: str, refused: str | None) -> None:
    con = open_connection(allow_external=False)
    if refused is None:
        assert len(read_statements(con, sql)) == sql.count(";") + 1
    else:
        with pytest.raises(QueryRefused, match=f"^{refused} statement refused"):
            read_statements(con, sql)


def test_lock_down_leaves_only_the_given_files_readable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    allowed, other = tmp_path / "a.csv", tmp_path / "b.csv"
    allowed.write_text("x\n1\n")
    other.write_text("x\n2\n")
    con = open_connection(allow_external=False)
    lock_down(con, [allowed])
    assert con.execute(f"SELECT x FROM read_csv('{allowed}')").fetchall() == [(1,)]
    with pytest.raises(duckdb.PermissionException):
        con.execute(f"SELECT x FROM read_csv('{other}')")


@pytest.mark.parametrize(("allow_external", "value"), [(False, False), (True, True)])
def test_extension_autoinstall_follows_the_flag(allow_external: bool, value: bool) -> None:
    con = open_connection(allow_external=allow_external)
    row = con.execute("SELECT current_setting('autoinstall_known_extensions')").fetchone()
    assert row == (value,)
