"""Every verb, given a wrong input of each kind, answers in one line and touches nothing.

A library error is exit code 1 and one ``Error: ...`` line naming the problem; a usage
error is click's exit code 2 with the same last line after the usage. Either way no
file is written and none is lost: the folders the case uses are compared before and
after.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from pipeline import BuildResult
from tests.crawler.conftest import CRAWL_ENV, Publisher, page, text, write_job
from tests.pipeline.built import build_small
from tests.pipeline.test_build import licensed_corpus

Setup = Callable[[Path, Path], list[str]]


def snapshot(*folders: Path) -> dict[Path, tuple[int, int]]:
    """Every file under ``folders`` with its size and modification time."""
    return {
        p: (p.stat().st_size, p.stat().st_mtime_ns)
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def job(tmp: Path) -> str:
    return str(write_job(tmp, "http://127.0.0.1:9/"))


def broken_toml(tmp: Path) -> str:
    (tmp / "jobs").mkdir()
    (tmp / "jobs" / "broken.toml").write_text("[job\nname = 'x'\n")
    return str(tmp / "jobs" / "broken.toml")


def foreign_folder(tmp: Path) -> str:
    (tmp / "mine").mkdir()
    (tmp / "mine" / "notes.txt").write_text("keep me\n")
    return str(tmp / "mine")


def expired(tmp: Path) -> str:
    return str(licensed_corpus(tmp / "old", ["Old text."], until="2020-01-01"))


CASES: list[tuple[str, Setup, int, str]] = [
    (
        "demo into a folder it did not make",
        lambda t, _: ["demo", "--output", foreign_folder(t)],
        1,
        "exists and is not a demo folder",
    ),
    ("crawl a missing job", lambda t, _: ["crawl", str(t / "nope.toml")], 2, "does not exist"),
    (
        "crawl a job that is not TOML",
        lambda t, _: ["crawl", broken_toml(t)],
        1,
        "broken.toml",
    ),
    (
        "crawl with a bad --log-level",
        lambda t, _: ["crawl", job(t), "--log-level", "LOUD"],
        2,
        "'LOUD' is not one of",
    ),
    (
        "crawl with a malformed -s",
        lambda t, _: ["crawl", job(t), "-s", "DOWNLOAD_DELAY"],
        2,
        "must look like NAME=VALUE",
    ),
    (
        "crawl with a bad setting value",
        lambda t, _: ["crawl", job(t), "-s", "DOWNLOAD_DELAY=0.1"],
        1,
        "DOWNLOAD_DELAY (0.1) must be >= 1 second per host",
    ),
    (
        "schedule a folder with a broken job",
        lambda t, _: ["schedule", str(Path(broken_toml(t)).parent), "--once"],
        1,
        "broken.toml: skipped: ",
    ),
    ("build without --output", lambda t, _: ["build", "--warc", str(t)], 2, "--output"),
    (
        "build from a missing WARC",
        lambda t, _: ["build", "--warc", str(t / "none"), "--output", str(t / "ds")],
        1,
        "WARC input not found",
    ),
    (
        "build with no worker",
        lambda t, _: ["build", "--licensed", expired(t), "--workers", "0", "--output", str(t)],
        1,
        "workers (0)",
    ),
    (
        "build from an expired licence only",
        lambda t, _: ["build", "--licensed", expired(t), "--output", str(t / "ds")],
        1,
        "nothing to build: every input was left out",
    ),
    ("sql an empty statement", lambda _, d: ["sql", str(d), " ; "], 1, "empty statement"),
    (
        "sql a write",
        lambda t, d: ["sql", str(d), f"COPY documents TO '{t}/out.csv'"],
        1,
        "COPY statement refused",
    ),
    ("sql a folder with no versions", lambda t, _: ["sql", str(t), "SELECT 1"], 1, "no versions"),
    ("sql a bad --format", lambda _, d: ["sql", str(d), "SELECT 1", "--format", "x"], 2, "'x'"),
    ("verify a folder with no versions", lambda t, _: ["verify", str(t)], 1, "no versions"),
    (
        "verify a missing version",
        lambda _, d: ["verify", str(d.parent), "--version", "v9999"],
        1,
        "v9999",
    ),
    ("policy check without --agent", lambda _, __: ["policy", "check", "https://a/"], 2, "--agent"),
    (
        "policy check an unreadable file",
        lambda t, _: ["policy", "check", "https://a/", "--agent", "G", "--robots", str(t / "r")],
        1,
        "r: No such file",
    ),
]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built: BuildResult = build_small(tmp_path_factory.mktemp("wrong"))
    return built.version


@pytest.mark.parametrize(
    ("setup", "code", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_wrong_input_is_one_line_and_touches_nothing(
    tmp_path: Path, dataset: Path, setup: Setup, code: int, message: str
) -> None:
    args = setup(tmp_path, dataset)
    before = snapshot(tmp_path, dataset.parent)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    last = result.output.splitlines()[-1]
    assert last.startswith("Error: ") and message in last
    if code == 1:  # a library error: that line and nothing else
        assert result.stderr == last + "\n" and result.stdout == ""
    assert snapshot(tmp_path, dataset.parent) == before


def test_a_crawl_whose_every_seed_is_refused_says_why(tmp_path: Path) -> None:
    publisher = Publisher(routes={"/robots.txt": text("User-agent: *\nDisallow: /\n")})
    publisher.routes["/"] = page("Home")
    publisher.start()
    try:
        job_file = write_job(tmp_path, publisher.url + "/")
        done = subprocess.run(
            [sys.executable, "-m", "gleaner.cli", "crawl", str(job_file)],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            cwd=tmp_path,
            env=CRAWL_ENV,
        )
    finally:
        publisher.stop()
    assert done.returncode == 1
    run = Path(done.stdout.strip())  # the run folder stays: its decision log is the evidence
    assert (run / "decisions").is_dir()
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    assert errors == [
        f"Error: {run}: nothing fetched: 1 URL(s) refused by robots.txt (Disallow: /)"
    ]
    assert "Traceback" not in done.stderr
    assert publisher.paths() == ["/robots.txt"]
