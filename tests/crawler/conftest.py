"""A misbehaving-on-purpose publisher on 127.0.0.1 and a way to crawl it for real."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

Route = tuple[int, dict[str, str], bytes]
REPO = Path(__file__).parents[2]

PAGE = (
    "<html><head><title>{title}</title></head><body><nav>Home | News</nav><article>"
    "<h1>{title}</h1><p>The harbour was quiet in the early morning, and the fishermen had "
    "already gone out to sea with their nets.</p>{links}</article></body></html>"
)


def page(title: str, *links: str) -> Route:
    anchors = "".join(f'<a href="{href}">{href}</a> ' for href in links)
    body = PAGE.format(title=title, links=anchors).encode()
    return 200, {"Content-Type": "text/html; charset=utf-8"}, body


def text(body: str, status: int = 200, **headers: str) -> Route:
    return status, {"Content-Type": "text/plain", **headers}, body.encode()


@dataclass
class Publisher:
    """Serves ``routes`` (path → status, headers, body) and logs every request it gets."""

    routes: dict[str, Route | list[Route]]  # a list is answered in turn, its last one forever
    log: list[tuple[float, str, str]] = field(default_factory=list)
    sleeps: dict[str, float] = field(default_factory=dict)  # path → seconds before answering
    # path and the validators it was sent with (If-None-Match, If-Modified-Since), per request
    asked: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://{self.host}:{self.server.server_address[1]}"

    def paths(self) -> list[str]:
        return [path for _, _, path in self.log]

    def answer(self, path: str) -> Route:
        route = self.routes.get(path, text("nope", 404))
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route

    def start(self) -> None:
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                # Stamped before answering: the politeness tests' floors rest on this.
                publisher.log.append((time.time(), self.headers.get("User-Agent", ""), self.path))
                etag = self.headers.get("If-None-Match")
                since = self.headers.get("If-Modified-Since")
                publisher.asked.append((self.path, etag, since))
                status, headers, body = publisher.answer(self.path)
                # A conditional GET for an unchanged page (If-None-Match decides when sent).
                unchanged = headers.get("ETag") == etag if etag else None
                if unchanged is None and since:
                    unchanged = headers.get("Last-Modified") == since
                if unchanged:
                    status, body = 304, b""
                time.sleep(publisher.sleeps.get(self.path, 0.0))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{base}", publisher.url))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((self.host, 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


#: The pages of :func:`two_level_site`.
PAGES = [f"/p{i}" for i in range(1, 9)]


def two_level_site() -> dict[str, object]:
    """Home links four pages, each linking one more: pages found before a crawl is stopped
    (killed, interrupted) are queued, not yet fetched."""
    routes: dict[str, object] = {"/robots.txt": text("User-agent: *\nAllow: /\n")}
    routes["/"] = page("Home", *PAGES[:4])
    routes |= {p: page(p, PAGES[i + 4]) for i, p in enumerate(PAGES[:4])}
    routes |= {p: page(p) for p in PAGES[4:]}
    return routes


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    pub = Publisher(routes={})
    pub.start()
    yield pub
    pub.stop()


JOB = """\
[job]
name = "t"
output = "{output}"
seeds = [{seeds}]
[scope]
allowed_hosts = [{hosts}]
allow_private = ["127.0.0.1"]
max_depth = 3
max_pages_per_host = 20
[identity]
user_agent = "Mozilla/5.0 (compatible; Gleaner/0.1; +https://gleaner.invalid/bot)"
"""


def write_job(tmp_path: Path, *seeds: str, hosts: tuple[str, ...] = ("127.0.0.1",)) -> Path:
    """A job file crawling ``seeds`` within ``hosts``, output under ``tmp_path/runs``."""
    job = tmp_path / "job.toml"
    quoted = ", ".join(f'"{s}"' for s in seeds)
    in_scope = ", ".join(f'"{h}"' for h in hosts)
    job.write_text(JOB.format(output=tmp_path / "runs", seeds=quoted, hosts=in_scope))
    return job


def crawl_command(job: Path, *args: str, settings: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "crawler", str(job), *args, *(f"-s{s}" for s in settings)]


CRAWL_ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def crawl(
    tmp_path: Path,
    *seeds: str,
    settings: tuple[str, ...] = (),
    hosts: tuple[str, ...] = ("127.0.0.1",),
    args: tuple[str, ...] = (),
) -> Path:
    """Crawl ``seeds`` in a subprocess (one reactor per process); return the run folder."""
    job = write_job(tmp_path, *seeds, hosts=hosts) if seeds else tmp_path / "job.toml"
    # Run from the test's own folder: the crawl must not depend on finding scrapy.cfg.
    done = subprocess.run(
        crawl_command(job, *args, settings=settings),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env=CRAWL_ENV,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return Path(done.stdout.strip().splitlines()[-1])
