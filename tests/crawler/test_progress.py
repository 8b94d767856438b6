"""The progress extension: live only when asked or on a terminal; it hears who waits."""

from __future__ import annotations

import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from crawler.politeness import host_paused
from crawler.progress import Progress, live_wanted
from tests.crawler.test_settings import crawler_with


@pytest.mark.parametrize(
    ("setting", "terminal", "live"),
    [
        ("auto", True, True),
        ("auto", False, False),
        (None, True, True),
        ("true", False, True),  # the parent of a child crawl says its stderr is a terminal
        ("false", True, False),
        (True, False, True),
        (False, True, False),
        ("0", True, False),
    ],
)
def test_live_follows_the_setting_then_the_terminal(
    setting: Any, terminal: bool, live: bool
) -> None:
    assert live_wanted(setting, terminal) is live


@pytest.mark.parametrize("live", [True, False])
def test_the_setting_reaches_the_console(tmp_path: Path, live: bool) -> None:
    progress = Progress.from_crawler(crawler_with(tmp_path, PROGRESS_LIVE=live))
    assert progress.is_live is live


def test_paused_and_parked_hosts_wait_until_their_pause_ends(tmp_path: Path) -> None:
    crawler = crawler_with(tmp_path, PROGRESS_LIVE=False)
    progress = Progress.from_crawler(crawler)
    soon = time.monotonic() + 3600
    crawler.signals.send_catch_log(host_paused, host="http://b:1", until=soon)
    crawler.signals.send_catch_log(host_paused, host="http://a:1", until=float("inf"))
    crawler.signals.send_catch_log(host_paused, host="http://c:1", until=0.0)  # over already
    assert progress.tally().waiting == ("http://a:1", "http://b:1")


@pytest.mark.parametrize(("live", "ending"), [(False, "crawl summary:"), (True, "Crawl summary")])
def test_the_end_of_a_crawl_prints_its_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live: bool, ending: str
) -> None:
    err = StringIO()
    monkeypatch.setattr("sys.stderr", err)
    progress = Progress.from_crawler(crawler_with(tmp_path, PROGRESS_LIVE=live))
    progress.start()
    progress.crawler.stats.set_value("policy/page/may_train", 3)
    progress.report()
    progress.stop()
    shown = err.getvalue()
    assert ending in shown and "fetched" in shown
    assert ("\x1b[" in shown) is live  # control codes only for a terminal
