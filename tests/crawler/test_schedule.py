"""Scheduled jobs: due when never run or when the cron fired since the last run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.jobspec import load_job
from crawler.schedule import is_due, run_due
from gleaner.cli import cli
from tests.crawler.conftest import Publisher, page, text, write_job


def scheduled(tmp_path: Path, cron: str, runs: list[str]) -> Path:
    job = write_job(tmp_path, "http://127.0.0.1:9/")
    job.write_text(job.read_text() + f'[schedule]\ncron = "{cron}"\n')
    for name in runs:
        (tmp_path / "runs" / "t" / name).mkdir(parents=True)
    return job


@pytest.mark.parametrize(
    ("cron", "runs", "now", "due"),
    [
        ("0 3 * * *", [], "20261129T120000Z", True),  # never ran
        ("0 3 * * *", ["20261129T030000Z"], "20261129T120000Z", False),
        ("0 3 * * *", ["20261128T030000Z"], "20261129T030000Z", True),
        ("*/15 * * * *", ["20261129T120000Z-2"], "20261129T121459Z", False),
        ("*/15 * * * *", ["20261129T120000Z"], "20261129T121500Z", True),
    ],
)
def test_is_due(tmp_path: Path, cron: str, runs: list[str], now: str, due: bool) -> None:
    job = load_job(scheduled(tmp_path, cron, runs))
    moment = datetime.strptime(now, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert is_due(job, moment) is due


def test_a_bad_cron_is_refused_by_value(tmp_path: Path) -> None:
    from crawler.errors import JobSpecError

    with pytest.raises(JobSpecError, match=r"\[schedule\] cron \('every day'\)"):
        load_job(scheduled(tmp_path, "every day", []))


def test_run_due_runs_only_due_jobs(tmp_path: Path) -> None:
    scheduled(tmp_path, "0 3 * * *", [])
    ran: list[Path] = []
    assert run_due(tmp_path, lambda job: ran.append(job) or job) == [tmp_path / "job.toml"]
    assert ran == [tmp_path / "job.toml"]


def test_schedule_once_crawls_what_is_due(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {"/robots.txt": text("User-agent: *\n"), "/": page("Home")}
    job = scheduled(tmp_path, "0 0 1 1 *", [])
    job.write_text(job.read_text().replace("http://127.0.0.1:9/", publisher.url + "/"))
    first = CliRunner().invoke(cli, ["schedule", str(tmp_path), "--once"])
    assert first.exit_code == 0, first.output
    assert Path(first.stdout.strip()).is_dir()  # progress lines go to stderr
    # Piped: plain lines from the child, ending with its summary; no live panel.
    summary = first.stderr[first.stderr.index("crawl summary:") :].splitlines()
    assert summary[1:2] == ["  fetched: 1"] and summary[-1].startswith("  time: ")
    assert "\x1b[" not in first.stderr
    again = CliRunner().invoke(cli, ["schedule", str(tmp_path), "--once"])  # not due till January
    assert again.exit_code == 0 and again.stdout == ""
    assert publisher.paths().count("/") == 1
