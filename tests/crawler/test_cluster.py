"""Crawl workers sharing one Redis frontier, judged from the publishers' own request logs.

Each test starts its own redis-server and a few publishers on 127.0.0.1 (one host each:
hosts are ``scheme://host:port``), then real worker processes. The bounds are argued as in
test_politeness: a publisher stamps a request when it arrives, so a gap between two stamps
of one host is a lower bound on the pause the cluster kept, however loaded the machine.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import redis

from tests.crawler.conftest import (
    CRAWL_ENV,
    PAGES,
    Publisher,
    page,
    text,
    two_level_site,
    write_job,
)
from tests.crawler.redis_server import redis_server

pytestmark = pytest.mark.cluster

SITE_PATHS = ["/", *PAGES]  # every page of two_level_site, each in scope


@pytest.fixture
def frontier(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path) as url:
        yield url


def publishers(count: int, sleep: float = 0.0) -> list[Publisher]:
    started = []
    for _ in range(count):
        pub = Publisher(routes=two_level_site())
        pub.sleeps = {"/": sleep}
        pub.start()
        started.append(pub)
    return started


def cluster_job(tmp_path: Path, pubs: list[Publisher], lease: float = 30.0) -> Path:
    job = write_job(tmp_path, *(f"{p.url}/" for p in pubs))
    job.write_text(job.read_text() + f"[frontier]\nlease = {lease}\n")
    return job


def worker(job: Path, url: str, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "crawler", str(job), f"--frontier={url}", *args]
    return subprocess.Popen(
        [*command, "-sPROGRESS_INTERVAL=0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=job.parent,
        env=CRAWL_ENV,
    )


def gleaner(cwd: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "gleaner.cli", *args]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd, env=CRAWL_ENV
    )


def finish(proc: subprocess.Popen[str]) -> Path:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-3000:]
    return Path(out.strip().splitlines()[-1])


def workers_joined(url: str) -> int:
    client = redis.Redis.from_url(url)
    return sum(int(client.get(key) or 0) for key in client.scan_iter("gleaner:t:*:workers"))


def finish_failed(proc: subprocess.Popen[str]) -> str:
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err[-3000:]
    return err


def wait_until(
    condition: Callable[[], bool], *procs: subprocess.Popen[str], seconds: float = 60.0
) -> None:
    """Wait for ``condition`` while ``procs`` live; bounded, so a stuck crawl fails the test
    instead of hanging it (a bound on the wait, not a speed check)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {seconds} s")
        assert all(p.poll() is None for p in procs), "a worker ended early"
        time.sleep(0.05)


def page_counts(pub: Publisher) -> Counter[str]:
    return Counter(p for p in pub.paths() if p in SITE_PATHS)


def assert_paced(pub: Publisher, floor: float = 1.0) -> None:
    stamps = sorted(t for t, _, _ in pub.log)
    gaps = [b - a for a, b in pairwise(stamps)]
    assert min(gaps) >= floor, f"{pub.url}: gaps {gaps}"


def test_three_workers_share_the_hosts_politely_and_fetch_each_page_once(
    tmp_path: Path, frontier: str
) -> None:
    pubs = publishers(4)
    try:
        job = cluster_job(tmp_path, pubs)
        command = ["crawl", str(job), "--frontier", frontier, "--workers", "3"]
        run = finish(gleaner(tmp_path, *command, "-sPROGRESS_INTERVAL=0"))
    finally:
        for pub in pubs:
            pub.stop()
    assert [p.name for p in run.parent.iterdir() if p.is_dir()] == [run.name]  # one run
    for pub in pubs:
        assert page_counts(pub) == dict.fromkeys(SITE_PATHS, 1)  # none twice, none missed
        assert pub.paths().count("/robots.txt") == 1  # once per host for the cluster
        assert_paced(pub)
    # Each worker wrote its own files, and the run folder reads as one crawl's.
    warcs = sorted(p.name for p in (run / "warc").glob("*.warc.gz"))
    assert warcs and not list((run / "warc").glob("*.open"))
    assert len({name.rsplit("-", 1)[0] for name in warcs}) >= 2  # more than one worker wrote
    rows = [
        r for part in (run / "decisions").glob("*.parquet") for r in pq.read_table(part).to_pylist()
    ]
    fetched = Counter(r["url"] for r in rows if r["stage"] == "robots")
    assert len(fetched) == 4 * len(SITE_PATHS) and set(fetched.values()) == {1}
    robots = [
        r for part in (run / "robots").glob("*.parquet") for r in pq.read_table(part).to_pylist()
    ]
    assert len(robots) == 4  # its capture logged once per host
    assert (run / "state" / "finished").exists()


def test_requests_claimed_ahead_keep_the_delay_robots_txt_refetches_included(
    tmp_path: Path, frontier: str
) -> None:
    """Turns are claimed ahead and held in the download slot: neither the request nor a
    robots.txt it makes the worker fetch again (the file's max-age ran out) goes early."""
    pubs = publishers(2)
    for pub in pubs:
        pub.routes["/robots.txt"] = text(
            "User-agent: *\nAllow: /\n", **{"Cache-Control": "max-age=3"}
        )
    try:
        job = cluster_job(tmp_path, pubs)
        runs = {finish(proc) for proc in [worker(job, frontier) for _ in range(2)]}
    finally:
        for pub in pubs:
            pub.stop()
    for pub in pubs:
        assert page_counts(pub) == dict.fromkeys(SITE_PATHS, 1)
        assert pub.paths().count("/robots.txt") >= 2  # fetched again mid-crawl
        assert_paced(pub)
    stats = [json.loads(f.read_text()) for f in runs.pop().glob("stats-*.json")]
    assert sum(s.get("frontier/claimed_ahead", 0) for s in stats) > 0


def test_a_killed_worker_s_leased_requests_are_fetched_once_by_the_others(
    tmp_path: Path, frontier: str
) -> None:
    lease = 3.0
    pubs = publishers(3, sleep=60.0)  # the victim's first pages hang: in flight at the kill
    try:
        job = cluster_job(tmp_path, pubs, lease=lease)
        victim = worker(job, frontier)
        # It holds every host's first page.
        wait_until(lambda: all("/" in pub.paths() for pub in pubs), victim)
        others = [worker(job, frontier) for _ in range(2)]
        wait_until(lambda: workers_joined(frontier) >= 3, *others)  # at work before the kill
        assert all(pub.paths().count("/") == 1 for pub in pubs)  # still in flight
        os.kill(victim.pid, signal.SIGKILL)
        killed_at = time.time()
        for pub in pubs:
            pub.sleeps["/"] = 0.0  # the others' fetch of it answers at once
        victim.communicate(timeout=30)
        runs = {finish(proc) for proc in others}
    finally:
        for pub in pubs:
            pub.stop()
    for pub in pubs:
        counts = page_counts(pub)
        assert counts["/"] == 2  # the victim's, cut short, and the others' one fetch
        assert all(counts[p] == 1 for p in PAGES)  # nothing else twice, nothing missed
        again = [t for t, _, p in pub.log if p == "/"][1]
        assert again - killed_at >= lease / 3  # only once the lease ran out (renewed at 1/3)
        assert pub.paths().count("/robots.txt") == 1
        assert_paced(pub)
    run = runs.pop()
    assert not list((run / "warc").glob("*.open"))  # the victim's file was finished for it


def test_resume_continues_the_cluster_s_run_after_every_worker_died(
    tmp_path: Path, frontier: str
) -> None:
    pubs = publishers(2, sleep=2.0)
    try:
        job = cluster_job(tmp_path, pubs, lease=2.0)
        victim = worker(job, frontier)
        wait_until(lambda: all("/" in pub.paths() for pub in pubs), victim)
        os.kill(victim.pid, signal.SIGKILL)  # the whole cluster is gone
        victim.communicate(timeout=30)
        resumed = [worker(job, frontier, "--resume") for _ in range(2)]
        runs = {finish(proc) for proc in resumed}
    finally:
        for pub in pubs:
            pub.stop()
    assert [p.name for p in (tmp_path / "runs" / "t").iterdir()] == [runs.pop().name]  # one run
    for pub in pubs:
        counts = page_counts(pub)
        assert counts["/"] == 2 and all(counts[p] == 1 for p in PAGES)
        assert pub.paths().count("/robots.txt") == 1
        assert_paced(pub)
    assert not list((tmp_path / "runs" / "t").glob("*/warc/*.open"))


def test_resume_without_a_run_in_the_frontier_says_so(tmp_path: Path, frontier: str) -> None:
    job = write_job(tmp_path, "http://127.0.0.1:9/")
    done = finish_failed(worker(job, frontier, "--resume"))
    assert "no unfinished run of job 't' to resume" in done


def test_a_redirect_loop_ends_on_a_shared_frontier(tmp_path: Path, frontier: str) -> None:
    pub = Publisher(routes={"/robots.txt": two_level_site()["/robots.txt"]})
    pub.routes["/"] = page("Home", "/a")
    pub.routes["/a"] = (302, {"Location": "{base}/b"}, b"")
    pub.routes["/b"] = (302, {"Location": "{base}/a"}, b"")
    pub.start()
    try:
        job = cluster_job(tmp_path, [pub])
        procs = [worker(job, frontier, "-sREDIRECT_MAX_TIMES=3") for _ in range(2)]
        for proc in procs:
            finish(proc)
    finally:
        pub.stop()
    hops = [p for p in pub.paths() if p in ("/a", "/b")]
    assert hops == ["/a", "/b", "/a", "/b"]  # the first fetch and three redirects, then it ends


def test_several_workers_need_a_shared_frontier(tmp_path: Path) -> None:
    job = write_job(tmp_path, "http://127.0.0.1:9/")
    _, err = gleaner(tmp_path, "crawl", str(job), "--workers", "2").communicate(timeout=120)
    assert "--workers above 1 needs a shared frontier" in err


def test_a_worker_whose_redis_goes_away_stops_unfinished_in_one_line(
    tmp_path: Path, frontier: str
) -> None:
    pubs = publishers(1, sleep=3.0)
    try:
        job = cluster_job(tmp_path, pubs)
        proc = worker(job, frontier)
        wait_until(lambda: "/" in pubs[0].paths(), proc)
        redis.Redis.from_url(frontier).shutdown(nosave=True)
        err = finish_failed(proc)
    finally:
        pubs[0].stop()
    assert err.strip().splitlines()[-1].startswith("Error: ")
    assert "continue with --resume" in err and "Traceback" not in err
    assert not list((tmp_path / "runs" / "t").glob("*/state/finished"))
