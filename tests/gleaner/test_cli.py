"""The command line: every verb documented; errors are one line, exit code 1 (2: usage)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from gleaner.demo import demo_job
from tests.crawler.conftest import CRAWL_ENV, write_job

README = (Path(__file__).parents[2] / "README.md").read_text()


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every verb, through the group's own listing (verbs in their own modules load lazily)."""
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
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
    ("args", "message", "code"),
    [
        (
            ["build", "--warc", "/nonexistent", "--output", "x"],
            "/nonexistent: WARC input not found",
            1,
        ),
        (["build", "--licensed", "/nonexistent.toml", "--output", "x"], "/nonexistent.toml", 1),
        (["build", "--warc", "."], "--output", 2),  # a usage error: click's code
    ],
)
def test_errors_are_one_line_with_their_exit_code(
    args: list[str], message: str, code: int, tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code
    last = result.output.splitlines()[-1]
    assert last.startswith("Error: ") and message in last
    if code == 1:  # a library error: that line and nothing else
        assert result.output == last + "\n"


def gleaner(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``gleaner ARGS`` in a child process: a crawl starts a reactor, once per process."""
    command = [sys.executable, "-m", "gleaner.cli", *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, cwd=cwd, env=CRAWL_ENV
    )


# One crawl process each; every component's own check is tested in-process
# (tests/crawler/test_settings.py): here, that any of them reaches the CLI as one line.
@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("DOWNLOAD_DELAY=0.1", "DOWNLOAD_DELAY (0.1) must be >= 1 second per host"),
        ("GUARD_CONTENT_TYPES=html", "GUARD_CONTENT_TYPES ('html') must look like type/subtype"),
    ],
)
def test_a_bad_crawler_setting_is_one_line_and_exit_1(
    tmp_path: Path, setting: str, message: str
) -> None:
    job = write_job(tmp_path, "http://127.0.0.1:9/")
    done = gleaner("crawl", str(job), "-s", setting, cwd=tmp_path)
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith(f"Error: {job}: crawl did not run: {message}")
    assert done.stdout == ""


def test_a_malformed_setting_is_a_usage_error(tmp_path: Path) -> None:
    job = write_job(tmp_path, "http://127.0.0.1:9/")
    result = CliRunner().invoke(cli, ["crawl", str(job), "-s", "DOWNLOAD_DELAY"])
    assert result.exit_code == 2
    assert (
        result.output.splitlines()[-1] == "Error: -s ('DOWNLOAD_DELAY') must look like NAME=VALUE"
    )


def test_a_failed_demo_crawl_is_one_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def impolite_job(seeds: list[str], output: Path) -> str:
        return demo_job(seeds, output).replace("min_delay = 1.0", "min_delay = 0.5")

    monkeypatch.setattr("gleaner.demo.demo_job", impolite_job)
    result = CliRunner().invoke(cli, ["demo", "--output", str(tmp_path / "demo")])
    assert result.exit_code == 1
    job = tmp_path / "demo" / "demo-job.toml"
    why = "[politeness] min_delay (0.5) must be at least 1 second"
    assert result.stderr.splitlines()[-1] == f"Error: {job.resolve()}: {why}"
    assert "Traceback" not in result.output
    assert result.stderr.count("Error: ") == 1  # the child's line is not echoed as well


def test_sql_on_a_missing_dataset_names_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sql", str(tmp_path), "SELECT 1"])
    assert result.exit_code == 1
    assert f"Error: {tmp_path}" in result.output
