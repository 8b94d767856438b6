"""Crash-safe resume: kill -9 a crawl, resume it, and count what the publisher saw."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import duckdb
from warcio.archiveiterator import ArchiveIterator

from crawler.state import RunState
from tests.crawler.conftest import (
    CRAWL_ENV,
    PAGES,
    Publisher,
    crawl,
    crawl_command,
    two_level_site,
    write_job,
)


def kill_after(tmp_path: Path, publisher: Publisher, job: Path, pages: int) -> None:
    proc = subprocess.Popen(crawl_command(job), cwd=tmp_path, env=CRAWL_ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while sum(p in PAGES for p in publisher.paths()) < pages and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_a_killed_crawl_resumes_without_refetching(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = two_level_site()  # type: ignore[assignment]
    job = write_job(tmp_path, publisher.url + "/")
    kill_after(tmp_path, publisher, job, pages=3)
    before = len(publisher.log)
    run = crawl(tmp_path, args=("--resume",))
    counts = Counter(p for p in publisher.paths() if p == "/" or p in PAGES)
    assert set(counts) == {"/", *PAGES}
    assert sum(n - 1 for n in counts.values()) <= 1  # only the page in flight at the kill
    assert len(publisher.log) > before
    urls = duckdb.sql(
        f"SELECT url FROM read_parquet('{run}/decisions/*.parquet') WHERE stage = 'page'"
    ).fetchall()
    assert sorted(u for (u,) in urls) == sorted(publisher.url + p for p in ["/", *PAGES])
    assert not list((run / "warc").glob("*.open"))
    responses = 0
    for path in sorted((run / "warc").glob("*.warc.gz")):
        with path.open("rb") as stream:
            responses += sum(r.rec_type == "response" for r in ArchiveIterator(stream))
    assert responses >= len(PAGES) + 1
    assert (run / "state" / "finished").exists()


def test_the_journal_keeps_rows_of_finished_urls_only(tmp_path: Path) -> None:
    state = RunState(tmp_path / "state.sqlite3")
    done = state.add("k1", "http://h/1", "h", 0, "page")
    state.add("k2", "http://h/2", "h", 1, "page")
    assert done is not None and state.add("k1", "http://h/1", "h", 0, "page") is None
    state.done(done)
    state.journal("decisions", {"url": "http://h/1", "stage": "page"})
    state.journal("decisions", {"url": "http://h/2", "stage": "robots"})
    assert state.recover_journal("decisions") == [{"url": "http://h/1", "stage": "page"}]
    assert [p.url for p in state.pending()] == ["http://h/2"]
    # The recovered row stays journalled until its part is written; the other is gone.
    assert state.recover_journal("decisions") == [{"url": "http://h/1", "stage": "page"}]
    state.forget_journal("decisions")
    assert state.recover_journal("decisions") == []
