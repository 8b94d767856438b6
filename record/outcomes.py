"""Fetch and scope outcomes, and the one constructor of the verdicts they make.

An outcome is something that happened to a URL on our side of the wire: the crawler
refused it (``address_guard``, ``host_parked``, ``crawl_delay``) or stopped it
unread (``content_type``, ``decompression_limit``), or the server answered ``304``
(``not_modified``) so no body was read again. None is a publisher's signal, so none is
recorded as an opt-out: the verdict keeps the publisher's ``training_signal`` as the
signals read said it (``unknown`` when none were), and the outcome travels as a reason
whose signal is the outcome's name (``deny_fetch`` when nothing was fetched, else a
``note``). Such a verdict never allows indexing or training: nothing was read to train on.

A robots.txt that cannot be fetched (5xx, unreachable) is *not* an outcome: RFC 9309
makes it the publisher's answer ("disallow all"), decided in :mod:`policies`.
"""

from __future__ import annotations

from policies import Reason, Verdict
from policies.verdict import DENY_FETCH, NOTE, UNKNOWN

__all__ = [
    "ADDRESS_GUARD",
    "CONTENT_TYPE",
    "CRAWL_DELAY",
    "DECOMPRESSION_LIMIT",
    "HOST_PARKED",
    "NOT_MODIFIED",
    "OUTCOMES",
    "outcome_of",
    "outcome_verdict",
    "publisher_verdict",
    "revisit_verdict",
    "with_fetch_answer",
]

#: A non-public address (SSRF guard): refused before the fetch.
ADDRESS_GUARD = "address_guard"
#: The host failed too often in a row and was parked: refused before the fetch.
HOST_PARKED = "host_parked"
#: robots.txt asks for a Crawl-delay above our cap: the host is skipped.
CRAWL_DELAY = "crawl_delay"
#: The page announced a Content-Type the job did not ask for: stopped before its body.
CONTENT_TYPE = "content_type"
#: The decompressed body passed the read cap (a gzip bomb): stopped, unread.
DECOMPRESSION_LIMIT = "decompression_limit"
#: ``304 Not Modified`` on a revisit: no body, the earlier capture stands.
NOT_MODIFIED = "not_modified"

#: The vocabulary of the decision log's ``outcome`` column (docs/decisions.md).
OUTCOMES = (
    ADDRESS_GUARD,
    HOST_PARKED,
    CRAWL_DELAY,
    CONTENT_TYPE,
    DECOMPRESSION_LIMIT,
    NOT_MODIFIED,
)

_NOTHING_READ = Verdict(True, True, False, UNKNOWN)


def outcome_verdict(
    outcome: str, rule: str, evidence: str, *, fetched: bool, publisher: Verdict | None = None
) -> Verdict:
    """The verdict of a URL an outcome stopped or left unread.

    ``publisher`` is what the publisher's signals said (``None``: none were read);
    ``fetched`` says whether the request went out. Keeps :func:`policies.evaluate`'s
    invariants: no ``deny_train`` is added, so ``training_signal`` stays the publisher's.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome ({outcome!r}) is not one of {OUTCOMES}")
    base = publisher or _NOTHING_READ
    reason = Reason(outcome, rule, evidence, NOTE if fetched else DENY_FETCH)
    may_fetch = fetched and base.may_fetch
    return Verdict(may_fetch, False, False, base.training_signal, (reason, *base.reasons))


def revisit_verdict(current: Verdict) -> Verdict:
    """The page verdict of a ``304``, from ``current`` (this run's evaluation, no body).

    A refusal in ``current`` (a training-token ``Disallow`` published since the earlier
    capture, a ``noai`` header on the 304, ...) stays on record as the publisher's.
    """
    rule, evidence = "conditional GET", "304: see WARC-Refers-To"
    return outcome_verdict(NOT_MODIFIED, rule, evidence, fetched=True, publisher=current)


def with_fetch_answer(verdict: Verdict, allowed: bool, rule: str, evidence: str) -> Verdict:
    """``verdict`` with another robots.txt reader's answer to the fetch question (a legacy
    backend): a refusal is a ``deny_fetch``, an allowance a ``note``; training stays put."""
    reason = Reason("robots", rule, evidence, NOTE if allowed else DENY_FETCH)
    return Verdict(
        may_fetch=allowed,
        may_index=verdict.may_index and allowed,
        may_train=verdict.may_train and allowed,
        training_signal=verdict.training_signal,
        reasons=(reason, *verdict.reasons),
    )


def outcome_of(verdict: Verdict) -> Reason | None:
    """The outcome reason of ``verdict``, or None when only publisher signals decided it."""
    return next((r for r in verdict.reasons if r.signal in OUTCOMES), None)


def publisher_verdict(verdict: Verdict) -> Verdict:
    """``verdict`` without its outcome reasons: what the publisher's signals alone said."""
    reasons = tuple(r for r in verdict.reasons if r.signal not in OUTCOMES)
    if len(reasons) == len(verdict.reasons):
        return verdict
    return Verdict(
        verdict.may_fetch, verdict.may_index, verdict.may_train, verdict.training_signal, reasons
    )
