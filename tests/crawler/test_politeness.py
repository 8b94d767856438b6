"""Host politeness, judged from the misbehaving publisher's own request log.

How the bounds are argued: the publisher stamps a request (``time.time()``) when its handler
starts, before it answers. A pause begins when the crawler has the failing answer, so after
that stamp, and the next request is stamped only after it arrives, after the pause: a gap
between two stamps is at least the pause, however late either side runs under load. Lower
bounds are therefore exact; upper bounds are counts, not durations.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.crawler.conftest import (
    CRAWL_ENV,
    Publisher,
    Route,
    crawl,
    crawl_command,
    page,
    text,
    write_job,
)

ROBOTS = text("User-agent: *\nAllow: /\n")
PAGES = [f"/p{i}" for i in range(1, 7)]


def after(publisher: Publisher, moment: float) -> list[tuple[float, str]]:
    return [(t, path) for t, _, path in publisher.log if t > moment]


class BusyOnce:
    """Make the first page after the home page answer ``busy``; the others answer at once."""

    def __init__(self, publisher: Publisher, busy: Route) -> None:
        self.answered = 0
        plain = publisher.answer

        def answer(path: str) -> Route:
            route = plain(path)
            if route == busy and self.answered:
                return plain(path)
            self.answered += route == busy
            return route

        publisher.answer = answer  # type: ignore[method-assign]


@pytest.mark.parametrize(
    ("status", "retry_after"),
    [(429, "3"), (503, "3")],
)
def test_retry_after_pauses_the_whole_host(
    tmp_path: Path, publisher: Publisher, status: int, retry_after: str
) -> None:
    busy: Route = text("slow down", status, **{"Retry-After": retry_after})
    publisher.routes = {"/robots.txt": ROBOTS, "/": page("Home", "/a", "/b", "/c")}
    publisher.routes |= {p: [busy, page(p)] for p in ("/a", "/b", "/c")}
    first_busy = BusyOnce(publisher, busy)
    crawl(tmp_path, publisher.url + "/")
    refused_at, refused = next((t, p) for t, _, p in publisher.log if p in ("/a", "/b", "/c"))
    later = after(publisher, refused_at)
    assert {path for _, path in later} == {"/a", "/b", "/c"}  # the queue waited, then went on
    assert min(t for t, _ in later) - refused_at >= 3.0
    assert publisher.paths().count(refused) == 2
    assert first_busy.answered == 1


def test_server_errors_back_off_exponentially(tmp_path: Path, publisher: Publisher) -> None:
    error = text("oops", 500)
    publisher.routes = {
        "/robots.txt": ROBOTS,
        "/": page("Home", "/a"),
        "/a": [error, error, page("A")],
    }
    crawl(tmp_path, publisher.url + "/", settings=("POLITENESS_BACKOFF_BASE=1.5",))
    times = [t for t, _, path in publisher.log if path == "/a"]
    assert len(times) == 3
    assert times[1] - times[0] >= 1.5
    assert times[2] - times[1] >= 3.0


def test_a_host_that_keeps_failing_is_parked(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {
        "/robots.txt": ROBOTS,
        "/": page("Home", *PAGES),
        **{p: text("down", 502) for p in PAGES},
    }
    settings = ("POLITENESS_BACKOFF_BASE=0.1", "POLITENESS_PARK_AFTER=3", "RETRY_TIMES=1")
    run = crawl(tmp_path, publisher.url + "/", settings=settings)
    failing = [p for p in publisher.paths() if p.startswith("/p")]
    assert len(failing) == 3
    rows = duckdb.sql(
        f"SELECT DISTINCT rule, evidence FROM read_parquet('{run}/decisions/*.parquet') "
        "WHERE outcome = 'host_parked'"
    ).fetchall()
    assert rows == [("3 consecutive failures (POLITENESS_PARK_AFTER)", "last: HTTP 502")]


def test_timeouts_count_as_failures(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {"/robots.txt": ROBOTS, "/": page("Home", "/slow"), "/slow": page("S")}
    publisher.sleeps = {"/slow": 2.5}
    settings = ("DOWNLOAD_TIMEOUT=1", "POLITENESS_BACKOFF_BASE=1.5", "RETRY_TIMES=1")
    crawl(tmp_path, publisher.url + "/", settings=settings)
    times = [t for t, _, path in publisher.log if path == "/slow"]
    assert len(times) == 2
    # The back-off (1.5 s) runs from the timeout, which fires after the first stamp; the
    # timeout itself (1 s) runs from when the download began, which may precede the stamp
    # by the time to connect and write. Only the back-off is a floor on the gap.
    assert times[1] - times[0] >= 1.5


def test_the_one_second_floor_cannot_be_lowered_outside_benchmarks(tmp_path: Path) -> None:
    job = write_job(tmp_path, "http://127.0.0.1:9/")
    done = subprocess.run(
        crawl_command(job, settings=("DOWNLOAD_DELAY=0",)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env=CRAWL_ENV,
    )
    assert done.returncode != 0
    assert "DOWNLOAD_DELAY (0.0) must be >= 1 second per host" in done.stderr


def test_a_paused_host_does_not_hold_up_the_others(tmp_path: Path, publisher: Publisher) -> None:
    other = Publisher(routes={"/robots.txt": ROBOTS})
    other.routes |= {"/": page("Other", *PAGES), **{p: page(p) for p in PAGES}}
    other.start()
    try:
        busy: Route = text("slow down", 429, **{"Retry-After": "4"})
        publisher.routes = {"/robots.txt": ROBOTS, "/": page("Home", *PAGES)}
        publisher.routes |= {p: [busy, page(p)] for p in PAGES}
        BusyOnce(publisher, busy)
        # One connection in all: a paused request left in the downloader would take it.
        crawl(tmp_path, publisher.url + "/", other.url + "/", settings=("CONCURRENT_REQUESTS=1",))
    finally:
        other.stop()
    paused_at = next(t for t, _, p in publisher.log if p in PAGES)
    resumed_at = min(t for t, _, p in publisher.log if t > paused_at)
    # The other host went on during the pause: a paused request left in the downloader would
    # hold the one connection, and nothing of the other host could arrive before it resumed.
    assert resumed_at - paused_at >= 4.0
    assert any(paused_at < t < resumed_at for t, _, _ in other.log)
    assert set(PAGES) <= set(publisher.paths()) and set(PAGES) <= set(other.paths())
