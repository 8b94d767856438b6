"""Plain-English explanations of a :class:`Verdict`, for publishers and auditors.

The text says what we may do, which signal decided it, and lists every signal we saw with
its evidence, so a publisher can find the line in their robots.txt or header to change.
"""

from __future__ import annotations

from policies.verdict import (
    ALLOW_TRAIN,
    ALLOWED,
    DENY_FETCH,
    DENY_INDEX,
    DENY_TRAIN,
    DISALLOWED,
    UNREADABLE,
    Reason,
    Verdict,
)

__all__ = ["explain"]

_SIGNAL_NAMES = {
    "robots": "robots.txt (crawl token)",
    "robots_training_token": "robots.txt (training token)",
    "proxy_training_token": "robots.txt (another AI vendor's training token)",
    "x_robots_tag": "X-Robots-Tag header",
    "meta_robots": "robots meta tag",
    "tdmrep": "TDM Reservation Protocol",
    "content_usage": "AI-preferences Content-Usage",
    "content_signal": "Content-Signal",
    "ai_txt": "ai.txt",
    "signals_unreadable": "page not read in full",
}
_EFFECTS = {
    DENY_FETCH: "do not fetch",
    DENY_INDEX: "do not index",
    DENY_TRAIN: "do not train",
    ALLOW_TRAIN: "training allowed",
}


def explain(verdict: Verdict) -> str:
    """Return a multi-line explanation of ``verdict``."""
    lines = [_fetch_line(verdict), _index_line(verdict), _train_line(verdict)]
    if verdict.reasons:
        lines.append("Signals seen:")
        lines += [f"  - {_describe(reason)}" for reason in verdict.reasons]
    else:
        lines.append("Signals seen: none.")
    return "\n".join(lines)


def _fetch_line(verdict: Verdict) -> str:
    if verdict.may_fetch:
        return "Fetch: allowed by robots.txt."
    refusal = _first(verdict, DENY_FETCH)
    if refusal is None:
        return "Fetch: not allowed, because no robots.txt was available to check."
    return f"Fetch: not allowed, because of {_cite(refusal)}."


def _index_line(verdict: Verdict) -> str:
    if verdict.may_index:
        return "Index: allowed."
    refusal = _first(verdict, DENY_INDEX)
    if refusal is None and verdict.training_signal == UNREADABLE:
        return "Index: not allowed, because the page's own signals could not be read in full."
    if refusal is None:
        return "Index: not allowed, because the page may not be fetched."
    return f"Index: not allowed, because of {_cite(refusal)}."


def _train_line(verdict: Verdict) -> str:
    denial = _first(verdict, DENY_TRAIN)
    if verdict.training_signal == DISALLOWED and denial is not None:
        return f"Training: not allowed; the publisher opted out through {_cite(denial)}."
    if not verdict.may_train and _first(verdict, DENY_FETCH) is not None:
        return "Training: not allowed, because the page may not be fetched."
    if verdict.training_signal == UNREADABLE and denial is not None:
        return (
            f"Training: not allowed; the page's own signals could not be read in full "
            f"({denial.evidence}; training signal 'unreadable')."
        )
    consent = _first(verdict, ALLOW_TRAIN)
    if verdict.training_signal == ALLOWED and consent is not None:
        return f"Training: allowed; the publisher said yes through {_cite(consent)}."
    outcome = "allowed" if verdict.may_train else "not allowed"
    return (
        f"Training: {outcome}; no signal said yes or no (training signal 'unknown'), so our "
        "default policy for unknown applies."
    )


def _first(verdict: Verdict, effect: str) -> Reason | None:
    return next((reason for reason in verdict.reasons if reason.effect == effect), None)


def _cite(reason: Reason) -> str:
    name = _SIGNAL_NAMES.get(reason.signal, reason.signal)
    return f"{name} rule '{reason.rule}'"


def _describe(reason: Reason) -> str:
    effect = _EFFECTS.get(reason.effect, "recorded")
    name = _SIGNAL_NAMES.get(reason.signal, reason.signal)
    return f"{name}: '{reason.rule}' ({reason.evidence}) -> {effect}"
