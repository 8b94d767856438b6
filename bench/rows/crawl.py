"""Rows "crawl": pages/s against plain Scrapy, and seen-set memory for a million URLs.

The site is served here, on 127.0.0.1, as several hosts (one port each) of linked pages; both
crawlers start from the hosts' roots and follow every link. Theirs is plain Scrapy 2.19 with
``ROBOTSTXT_OBEY`` and a CrawlSpider; ours is ``python -m crawler`` writing WARC, decision and
robots logs and run state. Politeness is relaxed on both sides the same way (no delay, 8
connections per host) through ``POLITENESS_BENCHMARK_NO_FLOOR``, a setting no job can set.
Rates are pages per second of Scrapy's own ``elapsed_time_seconds``.

The memory row builds the seen-set of one million canonical URLs: ours the 8-byte digest set
the spider uses, theirs the set of SHA1 hex fingerprints Scrapy's duplicate filter keeps;
measured with ``tracemalloc``, reported as URLs per MiB (the target is ≤ 64 MiB ours).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterable
from hashlib import sha1
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.results import Result, Side, Unavailable
from crawler.digest_set import DigestSet

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bench.context import BenchContext

__all__ = ["crawl_vs_scrapy", "seen_set_memory", "serve_pages"]

REPO = Path(__file__).resolve().parents[2]
_TEXT = "<p>The harbour was quiet in the early morning; the boats were out at sea.</p>" * 40
_RELAXED = ("POLITENESS_BENCHMARK_NO_FLOOR=True", "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False",
            "CONCURRENT_REQUESTS=32", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            "GUARD_MAX_PER_SHAPE=1000000", "PROGRESS_INTERVAL=0", "LOG_LEVEL=ERROR")  # fmt: skip

_THEIRS = """
import json, sys
from scrapy.crawler import CrawlerProcess
from scrapy.linkextractors import LinkExtractor
from scrapy.spiders import CrawlSpider, Rule

class Plain(CrawlSpider):
    name = "plain"
    start_urls = json.loads(sys.argv[1])
    rules = [Rule(LinkExtractor(), follow=True)]

process = CrawlerProcess({"ROBOTSTXT_OBEY": True, "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "ERROR",
    "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "TELNETCONSOLE_ENABLED": False, "USER_AGENT": "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"})
crawler = process.create_crawler(Plain)
process.crawl(crawler)
process.start()
print(json.dumps(crawler.stats.get_stats(), default=str))
"""

_JOB = """[job]
name = "bench"
output = "{output}"
seeds = {seeds}
[scope]
allowed_hosts = ["127.0.0.1"]
allow_private = ["127.0.0.1"]
max_depth = 50
max_pages_per_host = 100000
[identity]
user_agent = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"
"""


def crawl_vs_scrapy(ctx: BenchContext) -> Iterator[Result]:
    hosts, pages = (2, 60) if ctx.smoke else (4, 300)
    servers = [serve_pages(pages) for _ in range(hosts)]
    try:
        seeds = [f"http://127.0.0.1:{s.server_address[1]}/p/0" for s in servers]
        ours = _best(ctx, lambda: _ours(ctx, seeds))
        theirs = _best(ctx, lambda: _theirs(seeds))
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    yield Result(f"crawl, {hosts} hosts x {pages} pages", ours, theirs, unit="pages/s")


def seen_set_memory(ctx: BenchContext) -> Iterator[Result]:
    n = 100_000 if ctx.smoke else 1_000_000
    ours = _memory(n, lambda keys: DigestSet(keys))
    theirs = _memory(n, lambda keys: {sha1(k.encode()).hexdigest() for k in keys})
    yield Result(f"seen-set, {n:,} URLs", ours, theirs, unit="URLs/MiB")


def _memory(n: int, build: Callable[[Iterable[str]], Any]) -> Side:
    keys = (f"http://host{i % 997}.example/articles/{i}/story.html?page=1" for i in range(n))
    tracemalloc.start()
    started = time.perf_counter()
    kept = build(keys)
    seconds = time.perf_counter() - started
    used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    mib = used / 2**20
    return Side(rate=n / mib, seconds=round(seconds, 3), docs_in=n, docs_out=len(kept),
                detail={"MiB": round(mib, 1)})  # fmt: skip


def _best(ctx: BenchContext, run: Callable[[], Side | Unavailable]) -> Side | Unavailable:
    sides = [run() for _ in range(ctx.repeat)]
    measured = [s for s in sides if isinstance(s, Side)]
    return max(measured, key=lambda s: s.rate) if measured else sides[0]


def _ours(ctx: BenchContext, seeds: list[str]) -> Side | Unavailable:
    out = ctx.out_dir("crawl-ours")
    out.mkdir(parents=True, exist_ok=True)
    job = out / "job.toml"
    job.write_text(_JOB.format(output=out / "runs", seeds=json.dumps(seeds)))
    command = [sys.executable, "-m", "crawler", str(job), *(f"-s{s}" for s in _RELAXED)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        return Unavailable(f"crawl failed: {done.stderr.strip()[-200:]}")
    run = Path(done.stdout.strip().splitlines()[-1])
    return _side(json.loads((run / "stats.json").read_text()))


def _theirs(seeds: list[str]) -> Side | Unavailable:
    command = [sys.executable, "-c", _THEIRS, json.dumps(seeds)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    if done.returncode != 0:
        return Unavailable(f"scrapy failed: {done.stderr.strip()[-200:]}")
    return _side(json.loads(done.stdout.strip().splitlines()[-1]))


def _side(stats: dict[str, Any]) -> Side:
    pages = int(stats.get("response_received_count", 0))
    seconds = float(stats.get("elapsed_time_seconds", 0.0)) or 1e-9
    return Side(rate=pages / seconds, seconds=round(seconds, 3), docs_in=pages, docs_out=pages)


def serve_pages(pages: int) -> ThreadingHTTPServer:
    """A local host serving a tree of ``pages`` linked pages; ``server.log`` holds each
    request's (arrival time, path), stamped by the host itself."""
    log: list[tuple[float, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            log.append((time.time(), self.path))
            body, kind, status = _page(self.path, pages)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.log = log  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _page(path: str, pages: int) -> tuple[bytes, str, int]:
    if path == "/robots.txt":
        return b"User-agent: *\nAllow: /\n", "text/plain", 200
    if not path.startswith("/p/") or not path[3:].isdigit() or int(path[3:]) >= pages:
        return b"not found", "text/plain", 404
    i = int(path[3:])  # a binary tree of pages: shallow, every page reachable
    links = "".join(f'<a href="/p/{j}">page {j}</a> ' for j in (2 * i + 1, 2 * i + 2) if j < pages)
    html = f"<html><head><title>Page {i}</title></head><body>{_TEXT}{links}</body></html>"
    return html.encode(), "text/html; charset=utf-8", 200
