"""Errors the crawler raises.

    CrawlerError            base of everything below
    ├── JobSpecError        a job file is missing, malformed, or has a bad value
    ├── SettingError        a crawler setting (settings.py, the job, ``-s``) has a bad value
    ├── CrawlFailed         a crawl process ended without finishing its job
    ├── CrawlInterrupted    Ctrl-C stopped a crawl; its run can be resumed
    ├── FrontierError       the shared Redis frontier cannot be reached or used
    └── NothingToResume     ``--resume`` found no unfinished run of the job

Configuration errors stop the crawl before anything is fetched; ``gleaner``
prints them as one line. Per-URL outcomes (robots.txt denials, network
failures) are never raised to the caller: they are decisions, logged and counted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "CrawlFailed",
    "CrawlInterrupted",
    "CrawlerError",
    "FrontierError",
    "JobSpecError",
    "NothingToResume",
    "SettingError",
]


class CrawlerError(Exception):
    """Base class of every error the crawler raises on purpose."""


class JobSpecError(CrawlerError):
    """Raised when a job file cannot be read or holds an invalid value."""


class SettingError(CrawlerError):
    """Raised by a component, as the crawl starts, when a setting it reads is invalid.

    The message quotes the setting and the value: ``WARC_MAX_SIZE (0) must be > 0``.
    """

    def __init__(self, name: str, value: Any, why: str) -> None:
        super().__init__(f"{name} ({value!r}) {why}")
        self.name, self.value = name, value


class CrawlFailed(CrawlerError):
    """Raised when a crawl run in a child process exits non-zero; says its last line."""


class CrawlInterrupted(CrawlerError):
    """Raised by ``run_crawl`` when Ctrl-C stopped the crawl of ``run_dir`` after ``pages``
    pages; the run is left unfinished, for ``--resume``."""

    def __init__(self, run_dir: Path, pages: int) -> None:
        super().__init__(f"interrupted: {pages} pages fetched")
        self.run_dir, self.pages = run_dir, pages


class FrontierError(CrawlerError):
    """Raised when ``--frontier`` names a Redis that does not answer, or a step on it fails
    (a worker stops rather than crawl without the cluster's politeness)."""


class NothingToResume(CrawlerError):
    """Raised by ``run_crawl`` with ``resume`` when every run of the job finished (or there
    is none): a new crawl is not what was asked for."""
