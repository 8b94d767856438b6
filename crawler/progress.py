"""Progress for people watching a crawl: a live panel on a terminal, a line now and then
in a log, and a summary when the crawl ends.

``PROGRESS_LIVE`` says which: ``auto`` (the default) draws the panel when stderr is a
terminal. A crawl run in a child process (:mod:`crawler.spawn`) writes to a pipe, so
its parent passes its own answer instead. Hosts waiting on politeness are the ones
:mod:`crawler.politeness` announced with its ``host_paused`` signal.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.live import Live
from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.politeness import host_paused
from crawler.progress_view import live_view, plain_line, summary_lines, summary_table
from crawler.tally import CrawlTally, tally

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["Progress", "live_wanted"]

_LIVE_REFRESH = 1.0  # seconds between redraws of the panel (plain lines: PROGRESS_INTERVAL)


class Progress:
    """Extension: pages against the budget, statuses, rate and waits; a summary at the end."""

    def __init__(self, crawler: Crawler, interval: float, console: Console) -> None:
        self.crawler = crawler
        self.interval = interval
        self.console = console
        self.live: Live | None = None
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()
        self.paused: dict[str, float] = {}  # host → monotonic time its pause ends

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        live = live_wanted(crawler.settings.get("PROGRESS_LIVE"), sys.stderr.isatty())
        console = Console(stderr=True, highlight=False, force_terminal=live)
        progress = cls(crawler, interval, console)
        crawler.signals.connect(progress.start, signal=signals.spider_opened)
        crawler.signals.connect(progress.stop, signal=signals.spider_closed)
        crawler.signals.connect(progress.host_paused, signal=host_paused)
        return progress

    @property
    def is_live(self) -> bool:
        return self.console.is_terminal

    def start(self) -> None:
        self.started = time.monotonic()
        if self.is_live:
            self.live = Live(
                console=self.console,
                auto_refresh=False,  # redrawn by the reactor's loop, not a thread
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self.live.start()
        self.loop = task.LoopingCall(self.report)
        self.loop.start(
            min(self.interval, _LIVE_REFRESH) if self.is_live else self.interval, now=False
        )

    def host_paused(self, host: str, until: float, **_: Any) -> None:
        self.paused[host] = max(until, self.paused.get(host, 0.0))

    def report(self) -> None:
        now = self.tally()
        if self.live is not None:
            self.live.update(live_view(now), refresh=True)
        else:
            self.console.out(plain_line(now), highlight=False)

    def stop(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()
            self.console.print(summary_table(self.tally()))
            return
        for line in summary_lines(self.tally()):
            self.console.out(line, highlight=False)

    def tally(self) -> CrawlTally:
        """The crawl now, from its stats and its spider's per-host page budget."""
        spider = self.crawler.spider
        now = time.monotonic()
        return tally(
            self.crawler.stats.get_stats(),
            pages_per_host=int(getattr(spider, "max_pages_per_host", 0)),
            hosts=_hosts_seen(spider),
            seconds=now - self.started,
            waiting=tuple(sorted(h for h, until in self.paused.items() if until > now)),
        )


def _hosts_seen(spider: Any) -> int:
    # The seed spider knows (a shared frontier's run counts every worker's hosts); another
    # spider has no per-host budget.
    hosts_seen = getattr(spider, "hosts_seen", None)
    return int(hosts_seen()) if callable(hosts_seen) else 0


def live_wanted(setting: Any, stderr_is_terminal: bool) -> bool:
    """``PROGRESS_LIVE``: ``auto`` (or unset) follows the terminal; otherwise a boolean."""
    if setting is None or str(setting).lower() == "auto":
        return stderr_is_terminal
    if isinstance(setting, bool):
        return setting
    return str(setting).lower() in ("1", "true", "yes", "on")
