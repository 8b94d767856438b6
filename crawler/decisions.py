"""Write one decision-log row for a crawler component, from a :class:`policies.Verdict`.

The row itself is :func:`record.decision_row`'s (docs/decisions.md); this adds what the
crawler knows: the job's two tokens, and the robots.txt entry that applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.logs import crawl_logs
from record import decision_row

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    import policies
    from crawler.robots import RobotsEntry

__all__ = ["log_decision", "tokens"]


def log_decision(
    crawler: Crawler,
    url: str,
    stage: str,
    verdict: policies.Verdict,
    entry: RobotsEntry | None,
    status: int | None = None,
    warc: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    """Append the row for ``url`` at ``stage`` to the run's decision log; return it."""
    robots = (entry.robots.sha256, entry.fetched_at) if entry else (None, None)
    row = decision_row(
        url, stage, verdict, tokens=tokens(crawler), robots=robots, status=status, warc=warc
    )
    crawl_logs(crawler).decisions.append(row)
    return row


def tokens(crawler: Crawler) -> tuple[str, str]:
    """The job's (crawl token, training token)."""
    settings = crawler.settings
    return settings.get("GLEANER_CRAWL_TOKEN"), settings.get("GLEANER_TRAINING_TOKEN")
