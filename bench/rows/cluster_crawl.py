"""Rows "crawl on a shared frontier": 3 workers against the politeness bound and 1 worker.

Thirty hosts (one port each on 127.0.0.1) serve a tree of linked pages; the crawl keeps the
shipped politeness, one request per host per second, so no crawl of them can beat 30
requests/s, however many workers. Workers are ``python -m crawler JOB --frontier URL`` on a
redis-server started here (no persistence) and stopped after; a machine without one skips
the rows. The rate counts the requests the hosts received (robots.txt and TDMRep are paced
like pages) over the span from the first to the last, stamped by the hosts themselves, so
worker start-up is not counted; n requests to one host need n - 1 gaps of a second, so gaps
are counted (requests minus hosts), and the bound is exactly one per host per second.
``mean_gap_s``, the mean time between two requests to one host, shows the pace once every
host is served; ``start_s`` (launch to the first request) and ``wall_s`` (launch to the last
worker's exit) show what the rate leaves out. ``--smoke`` crawls 6 hosts of 3 pages.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from bench.results import Result, Side, Unavailable
from bench.rows.crawl import serve_pages

if TYPE_CHECKING:
    from http.server import ThreadingHTTPServer

    from bench.context import BenchContext

__all__ = ["cluster_crawl_rows"]

_JOB = """[job]
name = "cluster"
output = "{output}"
seeds = {seeds}
[scope]
allowed_hosts = ["127.0.0.1"]
allow_private = ["127.0.0.1"]
max_depth = 50
[identity]
user_agent = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"
"""
_QUIET = ("-sLOG_LEVEL=ERROR", "-sPROGRESS_INTERVAL=0")


def cluster_crawl_rows(ctx: BenchContext) -> Iterator[Result]:
    hosts, pages = (6, 3) if ctx.smoke else (30, 30)
    name = f"crawl, shared frontier, {hosts} hosts x {pages} pages at 1 s"
    if shutil.which("redis-server") is None:
        skipped = Unavailable("skipped: redis-server is not installed")
        yield Result(f"{name}, 3 workers vs 1", skipped, skipped, unit="requests/s")
        return
    three = _crawl(ctx, hosts, pages, workers=3)
    one = _crawl(ctx, hosts, pages, workers=1)
    bound = Side(rate=float(hosts), seconds=0.0, docs_in=0, docs_out=0)
    yield Result(f"{name}, 3 workers vs politeness bound", three, bound, unit="requests/s")
    yield Result(f"{name}, 3 workers vs 1", three, one, unit="requests/s")


def _crawl(ctx: BenchContext, hosts: int, pages: int, workers: int) -> Side | Unavailable:
    out = ctx.out_dir(f"cluster-crawl-{workers}")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    servers = [serve_pages(pages) for _ in range(hosts)]
    try:
        seeds = [f"http://127.0.0.1:{s.server_address[1]}/p/0" for s in servers]
        job = out / "job.toml"
        job.write_text(_JOB.format(output=out / "runs", seeds=json.dumps(seeds)))
        with _redis(out) as url:
            command = [sys.executable, "-m", "crawler", str(job), f"--frontier={url}", *_QUIET]
            launched = time.time()
            procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                     for _ in range(workers)]  # fmt: skip
            failed = [p.communicate(timeout=900)[1] for p in procs if p.wait(timeout=900)]
            ended = time.time()
    finally:
        with ThreadPoolExecutor(len(servers)) as pool:  # each waits up to its 0.5 s poll
            list(pool.map(_stop, servers))
    if failed:
        return Unavailable(f"crawl failed: {failed[0].decode().strip()[-200:]}")
    stamps = sorted(t for s in servers for t, _ in s.log)  # type: ignore[attr-defined]
    seen = sum(1 for s in servers for _, p in s.log if p.startswith("/p/"))  # type: ignore[attr-defined]
    span = (stamps[-1] - stamps[0]) or 1e-9
    # n requests to a host take n - 1 gaps of a second: count gaps, so the bound is exact.
    gaps = len(stamps) - len(servers)
    logs = [[t for t, _ in s.log] for s in servers]  # type: ignore[attr-defined]
    pace = [b - a for log in logs for a, b in pairwise(log)]
    detail = {"workers": workers, "pages": seen, "requests": len(stamps), "bound": float(hosts),
              "mean_gap_s": round(sum(pace) / len(pace), 3),
              "start_s": round(stamps[0] - launched, 2),
              "wall_s": round(ended - launched, 2)}  # fmt: skip
    return Side(rate=gaps / span, seconds=round(span, 3), docs_in=len(stamps), docs_out=seen,
                detail=detail)  # fmt: skip


def _stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()


@contextmanager
def _redis(folder: Path) -> Iterator[str]:
    """A redis-server of our own on a free loopback port, no persistence; stopped after."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    server = subprocess.Popen([*args, "--appendonly", "no", "--dir", str(folder)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _try in range(200):  # bounded: up to ~10 s to listen
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
