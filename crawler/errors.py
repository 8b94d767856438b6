"""Errors the crawler raises.

    CrawlerError            base of everything below
    └── JobSpecError        a job file is missing, malformed, or has a bad value

Per-URL outcomes (robots.txt denials, network failures) are never raised to
the caller: they are decisions, logged and counted.
"""

from __future__ import annotations

__all__ = ["CrawlerError", "JobSpecError"]


class CrawlerError(Exception):
    """Base class of every error the crawler raises on purpose."""


class JobSpecError(CrawlerError):
    """Raised when a job file cannot be read or holds an invalid value."""
