"""Scheduled jobs: due when never run or when the cron fired since the last run."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.errors import CrawlFailed
from crawler.jobspec import load_job
from crawler.schedule import is_due, run_due, run_round
from gleaner.cli import cli
from tests.crawler.conftest import Publisher, page, text, write_job
from tests.crawler.redis_server import redis_server


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
    ran = re.fullmatch(rf"{job}: ran (\S+); next due (\d{{4}})-01-01 00:00 UTC\n", first.stdout)
    assert ran and Path(ran[1]).is_dir()  # progress lines go to stderr
    assert (Path(ran[1]) / "stats.json").is_file()  # one process, no worker's name
    # Piped: plain lines from the child, ending with its summary; no live panel.
    summary = first.stderr[first.stderr.index("crawl summary:") :].splitlines()
    assert summary[1:2] == ["  fetched: 1"] and summary[-1].startswith("  time: ")
    assert "\x1b[" not in first.stderr
    again = CliRunner().invoke(cli, ["schedule", str(tmp_path), "--once"])  # not due till January
    assert again.exit_code == 0
    assert again.stdout == f"{job}: not due; next due {ran[2]}-01-01 00:00 UTC\n"
    assert publisher.paths().count("/") == 1


@pytest.mark.cluster
def test_a_scheduled_job_runs_the_workers_its_frontier_names(
    tmp_path: Path, publisher: Publisher
) -> None:
    publisher.routes = {"/robots.txt": text("User-agent: *\n"), "/": page("Home", "/a")}
    publisher.routes["/a"] = page("A")
    job = scheduled(tmp_path, "0 0 1 1 *", [])
    with redis_server(tmp_path) as frontier:
        shared = f'[frontier]\nurl = "{frontier}"\nworkers = 2\n'
        job.write_text(job.read_text().replace("http://127.0.0.1:9/", publisher.url + "/") + shared)
        done = CliRunner().invoke(cli, ["schedule", str(tmp_path), "--once"])
    assert done.exit_code == 0, done.output
    run = Path(done.stdout.split(" ran ", 1)[1].split(";", 1)[0])
    assert sorted(p.name for p in run.glob("stats*.json")) == ["stats-w001.json", "stats-w002.json"]
    assert sorted(p.stem for p in (run / "state").glob("w*.sqlite3")) == ["w001", "w002"]
    assert publisher.paths().count("/") == 1 and publisher.paths().count("/a") == 1


def test_a_broken_job_file_is_reported_and_the_others_run(tmp_path: Path) -> None:
    scheduled(tmp_path, "0 3 * * *", [])
    (tmp_path / "broken.toml").write_text("[job\n")
    ran: list[Path] = []
    outcomes = run_round(tmp_path, lambda job: ran.append(job) or job)
    assert ran == [tmp_path / "job.toml"]
    broken, good = outcomes
    assert broken.source == tmp_path / "broken.toml" and broken.problem
    assert broken.describe().startswith(f"{tmp_path / 'broken.toml'}: skipped: ")
    assert good.run == tmp_path / "job.toml" and good.problem is None


def test_a_failed_crawl_is_reported_and_the_others_run(tmp_path: Path) -> None:
    job = scheduled(tmp_path, "0 3 * * *", [])
    jobs = tmp_path / "jobs"
    jobs.mkdir()
    for name in ("a", "b"):
        (jobs / f"{name}.toml").write_text(job.read_text().replace('"t"', f'"{name}"'))

    def crawl(job: Path) -> Path:
        if job.name == "a.toml":
            raise CrawlFailed(f"{job}: crawl failed: exit code 1")
        return job

    outcomes = run_round(jobs, crawl)
    assert [o.problem for o in outcomes] == ["crawl failed: exit code 1", None]
    assert outcomes[1].run == jobs / "b.toml"
