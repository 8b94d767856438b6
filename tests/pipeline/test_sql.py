"""SQL views over a built version: every view exists, empty ones keep their columns."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from gleaner.sql_shell import statements
from pipeline import BuildConfig, BuildResult
from pipeline.build import build
from pipeline.schema import REMOVAL_SCHEMA
from pipeline.sql import (
    DUPLICATES_VIEW_SCHEMA,
    EXCLUSIONS_VIEW_SCHEMA,
    REMOVALS_VIEW_SCHEMA,
    VIEWS,
    connect,
)
from record.schema import DOCUMENT_SCHEMA
from tests.pipeline.built import build_small

_ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_small(tmp_path_factory.mktemp("sql"))


@pytest.mark.parametrize("view", VIEWS)
def test_every_view_answers(built: BuildResult, view: str) -> None:
    con = connect(built.version)
    assert con.execute(f"SELECT count(*) FROM {view}").fetchone() is not None


@pytest.mark.parametrize(
    ("view", "schema", "rows"),
    [
        ("duplicates", DUPLICATES_VIEW_SCHEMA, 3),
        ("removals", REMOVALS_VIEW_SCHEMA, 0),
        ("removed", REMOVAL_SCHEMA, 0),
        ("added", DOCUMENT_SCHEMA, 3),
    ],
)
def test_dedup_views_have_their_declared_columns(
    built: BuildResult, view: str, schema: object, rows: int
) -> None:
    con = connect(built.version)
    result = con.execute(f"SELECT * FROM {view}")
    assert [d[0] for d in result.description or []] == schema.names  # type: ignore[attr-defined]
    assert len(result.fetchall()) == rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT 1;\n", ["SELECT 1;"]),
        ("SELECT\n  1;\nSELECT 2;\n", ["SELECT\n  1;", "SELECT 2;"]),
        ("SELECT 1", ["SELECT 1"]),
        ("\n\n", []),
        ("SELECT 'a;\nb';\n", ["SELECT 'a;\nb';"]),
    ],
)
def test_statements_end_at_a_semicolon_line(text: str, expected: list[str]) -> None:
    lines = text.splitlines(keepends=True)
    assert list(statements(lines)) == expected


def test_sql_reads_statements_from_stdin(built: BuildResult) -> None:
    script = "SELECT count(*) AS n FROM documents;\nSELECT reason\n  FROM duplicates ORDER BY 1;\n"
    result = CliRunner().invoke(cli, ["sql", str(built.version), "--format", "csv"], input=script)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "n",
        str(built.documents),
        "reason",
        "exact_duplicate",
        "near_duplicate",
        "near_duplicate_of_licensed",
    ]


def test_a_failing_statement_is_reported_and_the_shell_goes_on(built: BuildResult) -> None:
    script = "SELECT nope FROM documents;\nSELECT 41 + 1 AS x;\n"
    result = CliRunner().invoke(cli, ["sql", str(built.version), "--format", "csv"], input=script)
    assert result.exit_code == 1
    assert "Error:" in result.output and "x\n42" in result.output


def test_one_statement_still_works(built: BuildResult, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["sql", str(built.version), "SELECT count(*) AS n FROM removals", "--format", "json"]
    )
    assert result.exit_code == 0 and result.output.strip() == '{"n": 0}'


def test_exclusions_span_this_version_and_earlier_ones(warcs: Path, tmp_path: Path) -> None:
    denied = BuildConfig(output=tmp_path / "ds", warcs=(warcs,), workers=1, allow_empty=True)
    first = build(denied).version  # every page left out: no training signal
    second = build(replace(denied, third_party_training="allow")).version
    count = "SELECT version, step, reason, count(*) FROM exclusions GROUP BY ALL ORDER BY ALL"
    assert connect(first).execute(count).fetchall() == [("v0001", "consent", "opt_out/unknown", 3)]
    assert ("v0001", "consent", "opt_out/unknown", 3) in connect(second).execute(count).fetchall()
    columns = connect(second).execute("SELECT * FROM exclusions").description or []
    assert [d[0] for d in columns] == EXCLUSIONS_VIEW_SCHEMA.names


@pytest.mark.parametrize("statement", ["", "  ;  ", "/* nothing to see */"])
def test_an_empty_statement_is_one_line(built: BuildResult, statement: str) -> None:
    result = CliRunner().invoke(cli, ["sql", str(built.version), statement])
    assert result.exit_code == 1
    assert result.output == "Error: empty statement: nothing to run\n"


def test_a_closed_pipe_ends_quietly(built: BuildResult) -> None:
    # A real pipe whose reader leaves after one line, as `| head -1` does.
    command = [sys.executable, "-m", "gleaner.cli", "sql", str(built.version)]
    query = "SELECT * FROM range(200000)"
    with subprocess.Popen(
        [*command, query], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_ENV
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        first = child.stdout.readline()
        child.stdout.close()
        errors = child.stderr.read().decode()
    assert first.strip() == b"range"  # piped: CSV
    assert errors == ""
    assert child.returncode in (0, 1)


def test_a_piped_table_is_not_cut_at_80_columns(built: BuildResult) -> None:
    wide = "SELECT repeat('x', 150) AS wide, 'end' AS last"
    result = CliRunner().invoke(cli, ["sql", str(built.version), wide, "--format", "table"])
    assert result.exit_code == 0
    assert any("x" * 150 in line and "end" in line for line in result.output.splitlines())
