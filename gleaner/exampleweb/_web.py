"""``ExampleWeb``: start every publisher on its own port in background threads, stop them all.

Ports are chosen by the OS (bind to port 0), so several example webs (parallel tests, a demo
next to a test run) never collide. Links between publishers are rendered from the live ports.
``ports`` serves them on given ports instead: the demo's own, so that its dataset's hosts can
be asked again after the demo (``python -m gleaner.exampleweb --ports gleaner-demo/...``).

A publisher can change its mind while the web runs: ``opt_out_of_training`` rewrites its
robots.txt to refuse the training token (a late opt-out, the case an opt-out refresh is for),
``stop_publisher`` takes its server down (robots.txt unreachable). The ground truth
(``expected``) stays that of the first crawl.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Mapping
from types import TracebackType

from ._app import PublisherApp
from ._expected import ExpectedWeb, expected_for
from ._handler import PublisherServer
from ._log import RequestLog, RequestLogEntry
from ._model import PageRef, Publisher, Robots, RobotsGroup
from .publishers import CRAWL_TOKEN, PUBLISHERS, TRAINING_TOKEN

__all__ = ["ExampleWeb"]

_POLL_SECONDS = 0.05  # how quickly stop() is noticed by each server loop


class ExampleWeb:
    """The bundled example web, served on ``host`` (IPv4) until ``stop()`` or ``with`` ends."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        delay_scale: float = 1.0,
        publishers: Mapping[str, Publisher] = PUBLISHERS,
        ports: Mapping[str, int] | None = None,
    ) -> None:
        if delay_scale < 0:
            raise ValueError(f"delay_scale ({delay_scale!r}) must be >= 0")
        self.host = host
        self.delay_scale = delay_scale
        self._publishers = publishers
        self._ports = dict(ports or {})
        self._log = RequestLog()
        self._servers: dict[str, PublisherServer] = {}
        self._threads: list[threading.Thread] = []
        self._base_urls: dict[str, str] = {}
        self._expected = expected_for(publishers, CRAWL_TOKEN, TRAINING_TOKEN)

    def start(self) -> ExampleWeb:
        """Bind every publisher, then serve them; raises if already running."""
        if self._servers:
            raise RuntimeError("ExampleWeb is already running")
        try:
            for name in self._publishers:
                port = self._ports.get(name, 0)
                self._servers[name] = PublisherServer((self.host, port), name, self._log)
        except OSError:
            self._close()
            raise
        self._base_urls = {n: f"http://{self.host}:{s.port}" for n, s in self._servers.items()}
        for name, server in self._servers.items():
            server.app = PublisherApp(self._publishers[name], self._base_urls, self.delay_scale)
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": _POLL_SECONDS},
                name=f"exampleweb-{name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving and free every port; a no-op when not running."""
        for server in self._servers.values():
            server.shutdown()
        self._close()
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    def set_robots(self, name: str, robots: Robots) -> None:
        """From now on, ``name`` serves ``robots`` as its robots.txt (pages unchanged)."""
        server = self._servers[name]
        if server.app is None:
            raise RuntimeError("ExampleWeb has not been started")
        changed = dataclasses.replace(server.app.publisher, robots=robots)
        server.app = PublisherApp(changed, self._base_urls, self.delay_scale)

    def opt_out_of_training(self, name: str) -> Robots:
        """``name`` now refuses the training token everywhere and keeps the crawl token's
        rules: ``User-agent: <training token>`` / ``Disallow: /`` first. Returns the file."""
        app = self._servers[name].app
        if app is None:
            raise RuntimeError("ExampleWeb has not been started")
        old = app.publisher.robots
        kept = tuple(g for g in old.groups if TRAINING_TOKEN not in g.agents)
        refusal = RobotsGroup(agents=(TRAINING_TOKEN,), disallow=("/",))
        comment = "no AI training, from today"
        robots = dataclasses.replace(old, groups=(refusal, *kept), comment=comment)
        self.set_robots(name, robots)
        return robots

    def stop_publisher(self, name: str) -> None:
        """Take ``name``'s server down: its port refuses connections from now on."""
        server = self._servers.pop(name)
        server.shutdown()
        server.server_close()

    def _close(self) -> None:
        for server in self._servers.values():
            server.server_close()
        self._servers.clear()

    @property
    def running(self) -> bool:
        return bool(self._servers)

    @property
    def base_urls(self) -> dict[str, str]:
        """Publisher name -> ``http://127.0.0.1:PORT`` (kept after ``stop()``, for reports)."""
        if not self._base_urls:
            raise RuntimeError("ExampleWeb has not been started")
        return dict(self._base_urls)

    @property
    def seeds(self) -> list[str]:
        """Where a demo crawl starts: every home page, then the sitemap publisher's sitemap."""
        bases = self.base_urls
        homes = [f"{bases[name]}/" for name in self._publishers]
        sitemaps = [
            bases[name] + path
            for name, publisher in self._publishers.items()
            for path in publisher.robots.sitemaps
        ]
        return homes + sitemaps

    @property
    def requests(self) -> list[RequestLogEntry]:
        """A snapshot of every request received so far, oldest first."""
        return self._log.snapshot()

    @property
    def expected(self) -> ExpectedWeb:
        """The ground truth: what may be fetched, what is opted out and why, duplicates, traps."""
        return self._expected

    def url(self, ref: PageRef) -> str:
        """The live URL of a page of the ground truth."""
        return self.base_urls[ref.publisher] + ref.path

    def __enter__(self) -> ExampleWeb:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
