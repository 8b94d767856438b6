"""Per-host back-off arithmetic: Retry-After, exponential pauses, parking.

Pure: times in, seconds out. The middleware in :mod:`crawler.politeness`
applies the answers to Scrapy's download slots.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = ["HostState", "backoff_seconds", "retry_after_seconds"]


def retry_after_seconds(value: str | None, now: datetime, cap: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delay-seconds or HTTP-date), capped.

    RFC 9110 §10.2.3 allows both forms; an unreadable value is ``None`` (the caller
    falls back to exponential back-off) and a date in the past is zero.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), cap)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - now).total_seconds()), cap)


def backoff_seconds(failures: int, base: float, cap: float) -> float:
    """``base * 2^(failures-1)``, at most ``cap``: 1 failure → base, 2 → 2 * base, ..."""
    if failures < 1:
        return 0.0
    return float(min(cap, base * 2 ** min(failures - 1, 30)))


@dataclass
class HostState:
    """What the crawl remembers of one host's health."""

    failures: int = 0  # consecutive 429/5xx/timeouts; any other answer resets it
    paused_until: float = 0.0  # monotonic clock
    last_failure: str = ""
    parked: bool = False

    def fail(self, what: str) -> int:
        self.failures += 1
        self.last_failure = what
        return self.failures

    def succeed(self) -> None:
        self.failures = 0
