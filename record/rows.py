"""Verdict → row: the one way a :class:`policies.Verdict` becomes columns.

The decision log (:data:`record.schema.DECISION_SCHEMA`), the build's consent gate and
``gleaner policy check --json`` all read a verdict through :func:`verdict_columns`.

What the columns mean differs by stage (docs/decisions.md). Before the fetch (``robots``)
a row answers for both tokens from robots.txt alone: ``may_fetch`` for the crawl token,
``may_train`` False when robots.txt-level signals refuse the training token and True when
they do not (the page then decides). After the fetch (``page``) a row is the whole verdict.

A row with an ``outcome`` (:mod:`record.outcomes`) says only what the publisher said:
``may_train`` is False when a publisher signal refused training and empty otherwise (no
answer: nothing was read to train on), and ``deciding_signal`` is a publisher signal or
empty, never the outcome. ``rule`` and ``evidence`` quote the deciding signal, else the
outcome.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from policies import Reason, Verdict, authority
from policies.verdict import ALLOW_TRAIN, ALLOWED, DENY_TRAIN, DISALLOWED
from record.outcomes import outcome_of, publisher_verdict

__all__ = ["decision_row", "host_key", "verdict_columns", "verdict_summary"]


def decision_row(
    url: str,
    stage: str,
    verdict: Verdict,
    *,
    tokens: tuple[str, str],
    robots: tuple[str | None, datetime | None] = (None, None),
    status: int | None = None,
    warc: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    """The decision-log row for one URL at one stage (``robots`` or ``page``).

    ``tokens`` is (crawl token, training token); ``robots`` the sha256 and fetch time of
    the robots.txt that applied; ``warc`` the archived response's file and record id.
    """
    return {
        "url": url,
        "host": host_key(url),
        "time": datetime.now(UTC),
        "crawl_token": tokens[0],
        "training_token": tokens[1],
        "stage": stage,
        **verdict_columns(verdict, stage),
        "robots_sha256": robots[0],
        "robots_fetched_at": robots[1],
        "http_status": status,
        "warc_file": warc[0],
        "warc_record_id": warc[1],
    }


def host_key(url: str) -> str:
    """``host[:port]`` of the canonical authority (:func:`policies.authority`): the log's
    ``host``. ``http://Host.:80/`` and ``http://host/`` are one server; the scheme is left
    out, as a host's page budget covers both."""
    return authority(url).partition("://")[2]


def verdict_columns(verdict: Verdict, stage: str = "page") -> dict[str, Any]:
    """The verdict's decision-log columns at ``stage``, ``outcome`` and ``signals_seen``
    included."""
    outcome = outcome_of(verdict)
    if outcome is not None:
        answers = _outcome_answers(publisher_verdict(verdict), outcome)
    elif stage == "page" or not verdict.may_fetch:  # refused: nothing will be read
        answers = _answers(verdict.may_index, verdict.may_train, verdict, verdict.deciding_reason)
    else:
        answers = _robots_answers(verdict)
    return {
        "may_fetch": verdict.may_fetch,
        **answers,
        "outcome": outcome.signal if outcome else None,
        "signals_seen": list(verdict.signals_seen),
    }


def _robots_answers(verdict: Verdict) -> dict[str, Any]:
    """Both tokens' robots.txt answers; indexing waits for the page. Only a refusal is
    final here: ``unknown`` and ``allowed`` leave the page to decide."""
    reason = _behind_signal(verdict)
    return _answers(None, verdict.training_signal != DISALLOWED, verdict, reason)


def _outcome_answers(publisher: Verdict, outcome: Reason) -> dict[str, Any]:
    refused = publisher.training_signal == DISALLOWED
    answers = _answers(False, False if refused else None, publisher, _behind_signal(publisher))
    if answers["deciding_signal"] is None:
        answers.update(rule=outcome.rule, evidence=outcome.evidence)
    return answers


def _behind_signal(verdict: Verdict) -> Reason | None:
    """The publisher's reason behind ``training_signal`` (None when ``unknown``)."""
    effect = {DISALLOWED: DENY_TRAIN, ALLOWED: ALLOW_TRAIN}.get(verdict.training_signal)
    return next((r for r in verdict.reasons if r.effect == effect), None)


def _answers(
    may_index: bool | None, may_train: bool | None, verdict: Verdict, reason: Reason | None
) -> dict[str, Any]:
    return {
        "may_index": may_index,
        "may_train": may_train,
        "training_signal": verdict.training_signal,
        "deciding_signal": reason.signal if reason else None,
        "rule": reason.rule if reason else None,
        "evidence": reason.evidence if reason else None,
    }


def verdict_summary(verdict: Verdict) -> dict[str, Any]:
    """The page columns of ``verdict`` and every reason, as JSON (the WARC ``metadata``
    record beside a response, ``gleaner policy check --json``)."""
    return {
        **verdict_columns(verdict, "page"),
        "reasons": [
            {"signal": r.signal, "rule": r.rule, "evidence": r.evidence, "effect": r.effect}
            for r in verdict.reasons
        ],
    }
