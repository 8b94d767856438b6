"""Decision-log rows: one per URL and stage, from a :class:`policies.Verdict`.

What the columns mean differs by stage (docs/decisions.md). Before the fetch
(``robots``) a row answers for both tokens from robots.txt alone: ``may_fetch``
for the crawl token, ``may_train`` False when robots.txt-level signals refuse
the training token and True when they do not (the page then decides). After the
fetch (``page``) a row is the whole verdict; a ``304`` revisit is re-decided
without a body and never itself allows training.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import policies
from crawler.urls import host_key
from policies.verdict import ALLOW_TRAIN, ALLOWED, DENY_TRAIN, DISALLOWED

if TYPE_CHECKING:
    from crawler.robots import RobotsEntry

__all__ = ["decision_row", "revisit_verdict", "verdict_summary"]

#: The reason on a 304 row that no signal refused: the page was checked again, unread.
_NOT_MODIFIED = policies.Reason(
    "not_modified", "conditional GET", "304: see WARC-Refers-To", DENY_TRAIN
)


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
    answers = _page_answers(verdict) if stage == "page" else _robots_answers(verdict)
    return {
        "url": url,
        "host": host_key(url),
        "time": datetime.now(UTC),
        "crawl_token": crawl_token,
        "training_token": training_token,
        "stage": stage,
        "may_fetch": verdict.may_fetch,
        **answers,
        "signals_seen": list(verdict.signals_seen),
        "robots_sha256": entry.robots.sha256 if entry else None,
        "robots_fetched_at": entry.fetched_at if entry else None,
        "http_status": status,
        "warc_file": warc_file,
        "warc_record_id": warc_record_id,
    }


def _page_answers(verdict: policies.Verdict) -> dict[str, Any]:
    index, train = verdict.may_index, verdict.may_train
    return _answers(index, train, verdict.training_signal, verdict.deciding_reason)


def _robots_answers(verdict: policies.Verdict) -> dict[str, Any]:
    """Both tokens' robots.txt answers; indexing waits for the page."""
    if not verdict.may_fetch:  # nothing will be read: the verdict is final already
        return _page_answers(verdict)
    signal = verdict.training_signal
    # Only a refusal is final here: "unknown" and "allowed" leave the page to decide.
    effect = {DISALLOWED: DENY_TRAIN, ALLOWED: ALLOW_TRAIN}.get(signal)
    reason = next((r for r in verdict.reasons if r.effect == effect), None)
    return _answers(None, signal != DISALLOWED, signal, reason)


def _answers(
    may_index: bool | None, may_train: bool, signal: str, reason: policies.Reason | None
) -> dict[str, Any]:
    return {
        "may_index": may_index,
        "may_train": may_train,
        "training_signal": signal,
        "deciding_signal": reason.signal if reason else None,
        "rule": reason.rule if reason else None,
        "evidence": reason.evidence if reason else None,
    }


def revisit_verdict(current: policies.Verdict) -> policies.Verdict:
    """The page-stage verdict of a ``304``, from ``current`` (this run's evaluation, no body).

    A 304 brings no payload, so its row never allows training or indexing: the earlier
    capture's own decision, and the build's "newest signal wins", decide that capture.
    When a signal refuses training now (the training token's new ``Disallow``, ...) that
    refusal decides the row, so the opt-out is on record; otherwise ``not_modified`` does,
    with the training signal this run saw.
    """
    if current.training_signal == DISALLOWED:
        reasons = (*current.reasons, _NOT_MODIFIED)
    else:
        reasons = (_NOT_MODIFIED, *current.reasons)
    return policies.Verdict(current.may_fetch, False, False, current.training_signal, reasons)


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
