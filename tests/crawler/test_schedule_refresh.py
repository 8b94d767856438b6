"""``[refresh]`` in a job file: `gleaner schedule` asks a dataset's publishers again on a cron."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.errors import CrawlerError, JobSpecError
from crawler.jobspec import load_job
from crawler.schedule import refresh_due, run_round
from tests.crawler.conftest import write_job


def refreshing(tmp_path: Path, table: str, runs: tuple[str, ...] | list[str] = ()) -> Path:
    job = write_job(tmp_path, "http://127.0.0.1:9/")
    job.write_text(job.read_text() + table)
    for name in runs:
        (tmp_path / "datasets" / "news" / "refresh" / name).mkdir(parents=True)
    return job


_DAILY = '[refresh]\ndatasets = ["datasets/news"]\ncron = "0 4 * * *"\n'


def at(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("runs", "now", "due"),
    [
        ([], "20261129T120000Z", True),  # never refreshed
        (["20261129T040000Z"], "20261129T120000Z", False),
        (["20261128T040000Z"], "20261129T040000Z", True),
    ],
)
def test_a_refresh_is_due_when_its_cron_fired_since_the_last(
    tmp_path: Path, runs: list[str], now: str, due: bool
) -> None:
    job = load_job(refreshing(tmp_path, _DAILY, runs))
    assert job.refresh_datasets == ((tmp_path / "datasets" / "news").resolve(),)
    assert refresh_due(job, job.refresh_datasets[0], at(now)) is due


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[refresh]\ndatasets = ["d"]\ncron = "daily"\n', r"\[refresh\] cron \('daily'\)"),
        ('[refresh]\ndatasets = []\ncron = "0 4 * * *"\n', r"\[refresh\] datasets .* not be empty"),
        ('[refresh]\ncron = "0 4 * * *"\n', r"\[refresh\] datasets is required"),
        ('[refresh]\ndatasets = ["d"]\n', r"\[refresh\] cron is required"),
        ('[refresh]\ndataset = ["d"]\ncron = "0 4 * * *"\n', "did you mean datasets"),
        ('[refrseh]\ndatasets = ["d"]\n', r"did you mean \[refresh\]"),
    ],
)
def test_a_bad_refresh_table_is_refused(tmp_path: Path, table: str, message: str) -> None:
    with pytest.raises(JobSpecError, match=message):
        load_job(refreshing(tmp_path, table))


def test_schedule_once_runs_a_due_refresh_and_says_so_on_the_jobs_line(tmp_path: Path) -> None:
    refreshing(tmp_path, _DAILY)
    asked: list[tuple[Path, Path]] = []

    def refresh(dataset: Path, job: Path) -> str:
        asked.append((dataset, job))
        return "no change"

    (outcome,) = run_round(tmp_path, lambda job: job, refresh=refresh)
    dataset = (tmp_path / "datasets" / "news").resolve()
    assert asked == [(dataset, (tmp_path / "job.toml").resolve())]
    assert outcome.run is None  # the job has no [schedule]: only the refresh ran
    assert outcome.describe().endswith(f"; refresh {dataset}: no change")


def test_a_failed_refresh_is_reported_on_the_jobs_line(tmp_path: Path) -> None:
    refreshing(tmp_path, _DAILY)

    def refresh(dataset: Path, job: Path) -> str:
        raise CrawlerError("no crawl run kept its job file")

    (outcome,) = run_round(tmp_path, lambda job: job, refresh=refresh)
    assert "failed: no crawl run kept its job file" in outcome.describe()


def test_gleaner_check_shows_the_refresh_table(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from gleaner.cli import cli

    job = refreshing(tmp_path, _DAILY)
    result = CliRunner().invoke(cli, ["check", str(job)])
    assert result.exit_code == 0, result.output
    dataset = (tmp_path / "datasets" / "news").resolve()
    assert f'[refresh]\ndatasets = ["{dataset}"]\ncron = "0 4 * * *"' in result.output
