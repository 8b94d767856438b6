"""Ctrl-C, as a person presses it: once (stop soon), twice (stop now); both resume cleanly."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.crawler.conftest import (
    CRAWL_ENV,
    PAGES,
    Publisher,
    crawl,
    crawl_command,
    page,
    text,
    two_level_site,
    write_job,
)

SLOW = "/p3"  # answers after a minute: in flight when Ctrl-C comes


def gleaner_crawl(job: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "from gleaner.cli import main; main()", "crawl", str(job), *args]


def wait_for(condition: Callable[[], bool], limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert condition(), "the crawl never got there"


def start(tmp_path: Path, publisher: Publisher, command: list[str]) -> subprocess.Popen[str]:
    err = (tmp_path / "stderr.txt").open("w")
    return subprocess.Popen(command, cwd=tmp_path, env=CRAWL_ENV, text=True,
                            stdout=subprocess.PIPE, stderr=err)  # fmt: skip


def stderr(tmp_path: Path) -> str:
    return (tmp_path / "stderr.txt").read_text()


def fetched(publisher: Publisher) -> Counter[str]:
    return Counter(p for p in publisher.paths() if p == "/" or p in PAGES)


@pytest.mark.parametrize(
    ("presses", "grace", "make_command"),
    [
        (1, "1", lambda job: gleaner_crawl(job)),
        (2, "600", lambda job: crawl_command(job)),
    ],
    ids=["once-abandons-in-flight-after-the-grace", "twice-stops-at-once"],
)
def test_ctrl_c_stops_says_how_to_resume_and_the_resume_fetches_nothing_twice(
    tmp_path: Path,
    publisher: Publisher,
    presses: int,
    grace: str,
    make_command: Callable[[Path], list[str]],
) -> None:
    publisher.routes = two_level_site()  # type: ignore[assignment]
    publisher.sleeps[SLOW] = 120.0
    job = write_job(tmp_path, publisher.url + "/")
    command = [*make_command(job), f"-sINTERRUPT_GRACE={grace}", "-sPROGRESS_INTERVAL=0"]
    proc = start(tmp_path, publisher, command)
    wait_for(lambda: SLOW in publisher.paths())
    proc.send_signal(signal.SIGINT)
    if presses == 2:
        wait_for(lambda: "Ctrl-C again" in stderr(tmp_path))
        proc.send_signal(signal.SIGINT)
    proc.wait(timeout=90)  # far below the slow page's two minutes

    assert proc.returncode == 130, stderr(tmp_path)
    last = stderr(tmp_path).strip().splitlines()[-1]
    assert last.startswith("interrupted: ")
    assert f"pages fetched; continue with `gleaner crawl {job} " in last  # and its options
    assert last.endswith(" --resume`")
    assert "Traceback" not in stderr(tmp_path)
    runs = [p for p in (tmp_path / "runs" / "t").iterdir() if p.is_dir()]
    assert len(runs) == 1 and not (runs[0] / "state" / "finished").exists()
    if presses == 1:  # a stop, not a kill: WARCs and logs closed, stats written
        assert not list((runs[0] / "warc").glob("*.open"))
        assert json.loads((runs[0] / "stats.json").read_text())["finish_reason"] == "shutdown"

    publisher.sleeps[SLOW] = 0.0
    resumed = crawl(tmp_path, args=("--resume",))
    assert resumed == runs[0]
    counts = fetched(publisher)
    assert set(counts) == {"/", *PAGES}
    assert {p for p, n in counts.items() if n > 1} <= {SLOW}  # only the page abandoned
    assert (resumed / "state" / "finished").exists()
    assert not list((resumed / "warc").glob("*.open"))


@pytest.mark.parametrize("earlier_runs", [0, 1], ids=["no-run-yet", "last-run-finished"])
def test_resume_with_nothing_to_resume_says_so_and_starts_nothing(
    tmp_path: Path, publisher: Publisher, earlier_runs: int
) -> None:
    publisher.routes = {"/robots.txt": text("User-agent: *\n"), "/": page("Home")}
    job = write_job(tmp_path, publisher.url + "/")
    for _ in range(earlier_runs):
        crawl(tmp_path)
    before = len(publisher.log)
    done = subprocess.run(gleaner_crawl(job, "--resume"), capture_output=True, text=True,
                          cwd=tmp_path, env=CRAWL_ENV, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: {job}: nothing to resume: no unfinished run of job 't' under "
        f"{tmp_path / 'runs'}; run without --resume to start a new crawl"
    ]
    assert len(publisher.log) == before
    runs = tmp_path / "runs" / "t"
    assert len(list(runs.glob("2*")) if runs.exists() else []) == earlier_runs


def test_the_engine_slot_still_has_what_abandoning_needs() -> None:
    # crawler._interrupt reaches past Scrapy's public surface: fail here if that moved.
    from scrapy.core.engine import _Slot

    assert {"_maybe_fire_closing", "close", "remove_request"} <= set(dir(_Slot))
    assert "inprogress" in _Slot.__init__.__code__.co_names
