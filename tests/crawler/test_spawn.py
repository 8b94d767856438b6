"""A crawl in a child process: its run folder back, or its one-line reason as CrawlFailed."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import CrawlFailed
from crawler.spawn import crawl_in_subprocess
from tests.crawler.conftest import Publisher, page, text, write_job


def test_a_crawl_gives_back_its_run_folder(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {"/robots.txt": text("User-agent: *\n"), "/": page("Home")}
    run = crawl_in_subprocess(write_job(tmp_path, publisher.url + "/"))
    assert run.parent == tmp_path / "runs" / "t" and (run / "stats.json").is_file()


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("max_depth = 3", "max_depth = 0", "{job}: [scope] max_depth (0) must be at least 1"),
        ("[scope]", "[scope]\nallow_private = 1", "{job}: unreadable job file"),
    ],
)
def test_a_failed_crawl_says_why_in_one_line(
    tmp_path: Path, old: str, new: str, reason: str
) -> None:
    job = write_job(tmp_path, "http://127.0.0.1:9/")
    job.write_text(job.read_text().replace(old, new, 1))
    with pytest.raises(CrawlFailed) as failed:
        crawl_in_subprocess(job)
    message = str(failed.value)
    assert message.startswith(reason.format(job=job)) and "\n" not in message
    assert message.count(str(job)) == 1
