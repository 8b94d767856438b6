"""Errors the crawler raises.

    CrawlerError            base of everything below
    ├── JobSpecError        a job file is missing, malformed, or has a bad value
    ├── SettingError        a crawler setting (settings.py, the job, ``-s``) has a bad value
    └── CrawlFailed         a crawl process ended without finishing its job

Configuration errors stop the crawl before anything is fetched; ``gleaner``
prints them as one line. Per-URL outcomes (robots.txt denials, network
failures) are never raised to the caller: they are decisions, logged and counted.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CrawlFailed", "CrawlerError", "JobSpecError", "SettingError"]


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
