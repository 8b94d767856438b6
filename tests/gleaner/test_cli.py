"""The command line: every verb documented, errors as one line with exit code 1."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gleaner.cli import cli

README = (Path(__file__).parents[2] / "README.md").read_text()


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix}{name} ")
        else:
            found.append((f"{prefix}{name}", command))
    return found


ALL = commands(cli)


@pytest.mark.parametrize(("name", "command"), ALL, ids=[n for n, _ in ALL])
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output


@pytest.mark.parametrize("name", [n for n, _ in ALL])
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"gleaner {name}" in README


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["build", "--warc", "/nonexistent", "--output", "x"],
            "/nonexistent: WARC input not found",
        ),
        (["build", "--licensed", "/nonexistent.toml", "--output", "x"], "/nonexistent.toml"),
        (["build", "--warc", "."], "--output"),
    ],
)
def test_errors_are_one_line_and_exit_1(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (1, 2)
    assert message in result.output


def test_sql_on_a_missing_dataset_names_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sql", str(tmp_path), "SELECT 1"])
    assert result.exit_code == 1
    assert f"Error: {tmp_path}" in result.output
