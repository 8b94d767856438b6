"""Decision-log rows: one per URL and stage, from a :class:`policies.Verdict`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import policies

if TYPE_CHECKING:
    from crawler.robots import RobotsEntry

__all__ = ["decision_row", "verdict_summary"]


def decision_row(
    url: str,
    stage: str,
    verdict: policies.Verdict,
    crawl_token: str,
    training_token: str,
    entry: RobotsEntry | None,
    status: int | None,
    warc_file: str | None = None,
    warc_record_id: str | None = None,
) -> dict[str, Any]:
    """The decision-log row for one URL at one stage (``robots`` or ``page``)."""
    page = stage == "page"
    reason = verdict.deciding_reason if page or not verdict.may_fetch else None
    return {
        "url": url,
        "host": (urlsplit(url).netloc or "").lower(),
        "time": datetime.now(UTC),
        "crawl_token": crawl_token,
        "training_token": training_token,
        "stage": stage,
        "may_fetch": verdict.may_fetch,
        # Before the fetch only the fetch question is answered; the rest waits for the page.
        "may_index": verdict.may_index if page or not verdict.may_fetch else None,
        "may_train": verdict.may_train if page or not verdict.may_fetch else None,
        "training_signal": verdict.training_signal if page else None,
        "deciding_signal": reason.signal if reason else None,
        "rule": reason.rule if reason else None,
        "evidence": reason.evidence if reason else None,
        "signals_seen": list(verdict.signals_seen),
        "robots_sha256": entry.robots.sha256 if entry else None,
        "robots_fetched_at": entry.fetched_at if entry else None,
        "http_status": status,
        "warc_file": warc_file,
        "warc_record_id": warc_record_id,
    }


def verdict_summary(verdict: policies.Verdict) -> dict[str, Any]:
    """The verdict as JSON for the WARC metadata record beside the response."""
    return {
        "may_fetch": verdict.may_fetch,
        "may_index": verdict.may_index,
        "may_train": verdict.may_train,
        "training_signal": verdict.training_signal,
        "reasons": [
            {"signal": r.signal, "rule": r.rule, "evidence": r.evidence, "effect": r.effect}
            for r in verdict.reasons
        ],
    }
