"""Ctrl-C during a build, each way a person sends it: to the terminal's process group or to
the build alone, once or twice. Every way: no traceback, no process left, no version
committed, one line saying how to resume, exit 130, and the resume finishes the build."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
from pathlib import Path

import pytest

from pipeline import BuildConfig
from pipeline.build import plan_units
from pipeline.errors import ConfigError
from pipeline.resume import start_or_resume
from tests.adversarial.test_build_integrity import (
    INPUTS,
    _alive,
    _descendants,
    _gleaner_build,
    _many_inputs,
    _poll,
    _proc_table,
)
from tests.pipeline.conftest import ARTICLE, make_warc

Tree = set[tuple[int, str]]


def _workers_and_sandboxes_running(build: subprocess.Popen[str], tree: Tree) -> bool:
    """Two workers, each with its extraction sandbox: the build is in stage 1."""
    tree.update(_descendants(build.pid))
    table = _proc_table()
    workers = [pid for pid, _ in tree if table.get(pid, (0,))[0] == build.pid]
    return len([pid for pid, _ in tree if table.get(pid, (0,))[0] in workers]) >= 2


def _interrupt(build: subprocess.Popen[str], target: str, presses: int) -> None:
    for _ in range(presses):
        if target == "group":  # what a terminal does: the build and all its children get it
            os.killpg(build.pid, signal.SIGINT)
        else:
            build.send_signal(signal.SIGINT)


@pytest.mark.parametrize("presses", [1, 2], ids=["once", "twice"])
@pytest.mark.parametrize("target", ["group", "parent"])
def test_ctrl_c_stops_the_build_cleanly_and_says_how_to_resume(
    tmp_path: Path, target: str, presses: int
) -> None:
    inputs, dataset = _many_inputs(tmp_path / "in"), tmp_path / "ds"
    command = _gleaner_build(inputs, dataset)
    err = tmp_path / "stderr.txt"
    with err.open("w") as stream:
        build = subprocess.Popen(command, stderr=stream, text=True, start_new_session=True)
    tree: Tree = set()
    try:
        assert _poll(lambda: _workers_and_sandboxes_running(build, tree), 120), err.read_text()
        _interrupt(build, target, presses)
        build.wait(timeout=120)
        _poll(lambda: not _alive(tree), 30)
        survivors = _alive(tree)
    finally:
        tree |= _descendants(build.pid)
        build.kill()
        build.wait()
        for pid, _ in _alive(tree):  # only when the test failed: what it started and left
            os.kill(pid, signal.SIGKILL)

    said = err.read_text()
    assert build.returncode == 130, said
    assert not survivors, f"still running: {survivors}"
    assert "Traceback" not in said, said
    last = said.strip().splitlines()[-1]
    assert last.startswith("interrupted: ") and f" of {INPUTS} inputs finished; " in last, last
    assert last.endswith(f"continue with `gleaner {' '.join(command[3:])} --resume`"), last
    assert not list(dataset.glob("v*")), "a version was committed"
    assert (dataset / ".building-v0001").is_dir()  # kept for --resume

    resumed = subprocess.run([*command, "--resume"], capture_output=True, text=True, check=False)
    assert resumed.returncode == 0, resumed.stderr
    assert (dataset / "v0001" / "manifest.json").is_file()


def test_resume_with_nothing_to_resume_says_so_and_starts_nothing(tmp_path: Path) -> None:
    warc = make_warc(tmp_path / "a.warc.gz", [("http://127.0.0.1:1/a", ARTICLE, 200, "text/html")])
    config = BuildConfig(output=tmp_path / "ds", warcs=(warc,), resume=True)
    units, _ = plan_units(config)
    with pytest.raises(ConfigError, match=r"ds: nothing to resume: no unfinished build of v0001"):
        start_or_resume(config, units)
    assert not (tmp_path / "ds").exists()


@pytest.mark.parametrize(
    ("state", "warned"),
    [("finished", False), ("unfinished", True), ("no state (an older run)", False)],
)
def test_building_from_an_unfinished_crawl_run_warns_and_names_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, state: str, warned: bool
) -> None:
    run = tmp_path / "runs" / "job" / "20261201T000000Z"
    (run / "warc").mkdir(parents=True)
    make_warc(run / "warc" / "a.warc.gz", [("http://127.0.0.1:1/a", ARTICLE, 200, "text/html")])
    if state != "no state (an older run)":
        (run / "state").mkdir()
    if state == "finished":
        (run / "state" / "finished").write_text("finished\n")
    with caplog.at_level(logging.WARNING, logger="pipeline.build"):
        plan_units(BuildConfig(output=tmp_path / "ds", crawls=(run,)))
    unfinished = [r.getMessage() for r in caplog.records if "did not finish" in r.getMessage()]
    assert unfinished == ([f"{run}: crawl run did not finish (interrupted or killed): building "
                           "from the pages it fetched; finish it with `gleaner crawl JOB "
                           "--resume` and build again"] if warned else [])  # fmt: skip
