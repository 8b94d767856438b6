"""A build's progress as people see it: bars on a terminal, plain lines when piped."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from gleaner.build_progress import BuildBars, PlainBuildLines, build_progress
from gleaner.cli import cli
from tests.pipeline.built import LICENSED_ONLY
from tests.pipeline.conftest import ARTICLE
from tests.pipeline.test_build import licensed_corpus


def console(terminal: bool) -> tuple[Console, StringIO]:
    out = StringIO()
    return Console(file=out, force_terminal=terminal, width=100, color_system=None), out


def play(progress: BuildBars | PlainBuildLines) -> None:
    """A build's reports: a stage of unknown size, then one of 400 bytes in two inputs."""
    with progress:
        progress.stage("stage 0: captures")
        progress.finish()
        progress.stage("stage 1: 2 inputs, 1 worker(s)", 400, "bytes")
        progress.advance(100, 7)
        progress.advance(300, 5)
        progress.finish()


@pytest.mark.parametrize(("terminal", "kind"), [(True, BuildBars), (False, PlainBuildLines)])
def test_the_console_chooses_bars_or_lines(terminal: bool, kind: type) -> None:
    assert isinstance(build_progress(console(terminal)[0]), kind)


def test_a_terminal_gets_a_bar_per_stage_with_documents_per_second() -> None:
    term, out = console(terminal=True)
    play(build_progress(term))
    shown = out.getvalue()
    assert "stage 0: captures" in shown and "stage 1: 2 inputs" in shown
    assert "12 docs," in shown and "docs/s" in shown
    assert "100%" in shown


def test_piped_output_gets_plain_lines_never_cut() -> None:
    piped, out = console(terminal=False)
    play(build_progress(piped, interval=0.0))  # a line on every report
    lines = out.getvalue().splitlines()
    assert lines[0] == "stage 0: captures"
    assert lines[2] == "stage 1: 2 inputs, 1 worker(s): 400 bytes"
    assert lines[3].startswith("  100 of 400 bytes, 7 documents, ") and "ETA" in lines[3]
    assert lines[1].startswith("  done in ") and lines[1].endswith(" s")
    assert lines[-1].startswith("  done in ") and ": 12 documents, " in lines[-1]
    assert lines[-1].endswith("docs/s")
    assert "\x1b" not in out.getvalue()  # no cursor moves nor colours in a file


def test_plain_lines_while_a_stage_runs_come_at_most_once_an_interval() -> None:
    piped, out = console(terminal=False)
    play(build_progress(piped, interval=3600.0))
    assert not [line for line in out.getvalue().splitlines() if "ETA" in line]


def test_a_piped_build_says_each_stage_and_ends_with_the_funnel(tmp_path: Path) -> None:
    manifest = licensed_corpus(tmp_path / "corpus", [LICENSED_ONLY, ARTICLE])
    args = ["build", "--licensed", str(manifest), "--output", str(tmp_path / "ds")]
    result = CliRunner().invoke(cli, [*args, "--workers", "1"])
    assert result.exit_code == 0, result.output
    err = result.stderr.splitlines()
    assert [line.split(":")[0] for line in err if line.startswith("stage")] == [
        "stage 0",
        "stage 1",
        "stage 2",
    ]
    assert sum(line.startswith("  done in ") for line in err) == 3
    assert "Funnel" in result.stderr and "licensed documents read: 2" in err
    assert any(line.startswith("documents kept: ") for line in err)
    assert result.stdout.splitlines() == [result.output.splitlines()[-1]]  # the version, last
