"""The one result type: :class:`Verdict`, with the :class:`Reason` behind each decision.

A verdict answers three questions separately: may we fetch the URL (robots.txt), may the
content be indexed for search (page robots rules, ``search`` preferences), and may it be used
for training (every training signal). ``training_signal`` keeps "nobody said" (``unknown``)
apart from "the publisher said yes" (``allowed``), because the default for unknown is our
policy, not the publisher's; and both apart from "we could not read all the page said"
(``unreadable``: the body was cut, or its charset is unknown or wrong), which never trains.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ALLOWED",
    "ALLOW_TRAIN",
    "DENY_FETCH",
    "DENY_INDEX",
    "DENY_TRAIN",
    "DISALLOWED",
    "EFFECTS",
    "NOTE",
    "SIGNALS_UNREADABLE",
    "TRAINING_SIGNALS",
    "UNKNOWN",
    "UNREADABLE",
    "Reason",
    "Verdict",
]

ALLOWED = "allowed"
DISALLOWED = "disallowed"
UNKNOWN = "unknown"
UNREADABLE = "unreadable"
TRAINING_SIGNALS = (ALLOWED, DISALLOWED, UNKNOWN, UNREADABLE)

DENY_FETCH = "deny_fetch"
DENY_INDEX = "deny_index"
DENY_TRAIN = "deny_train"
ALLOW_TRAIN = "allow_train"
# Recorded for provenance but not a decision (nosnippet, an unparseable Content-Usage, …).
NOTE = "note"
#: Every effect a reason may have: the one vocabulary.
EFFECTS = (DENY_FETCH, DENY_INDEX, DENY_TRAIN, ALLOW_TRAIN, NOTE)
# The signal of the reason that makes a page ``unreadable``: a deny, since a "no" may be
# in the part we could not read.
SIGNALS_UNREADABLE = "signals_unreadable"


@dataclass(frozen=True, slots=True)
class Reason:
    """One signal's contribution.

    ``signal`` is a short snake name (``robots``, ``robots_training_token``,
    ``proxy_training_token``, ``x_robots_tag``, ``meta_robots``, ``tdmrep``,
    ``content_usage``, ``content_signal``, ``ai_txt``, ``signals_unreadable``), ``rule``
    says which rule or header, ``evidence`` quotes what we saw, ``effect`` is
    ``deny_fetch``, ``deny_index``, ``deny_train``, ``allow_train`` or ``note``.
    """

    signal: str
    rule: str
    evidence: str
    effect: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """What we may do with one URL, and why."""

    may_fetch: bool
    may_index: bool
    may_train: bool
    training_signal: str
    reasons: tuple[Reason, ...] = ()

    @property
    def deciding_reason(self) -> Reason | None:
        """The first reason that decided ``may_fetch`` (when robots.txt refused), else
        ``may_train``; None when training fell to the default for unknown signals.
        """
        refusal = next((r for r in self.reasons if r.effect == DENY_FETCH), None)
        if refusal is not None and not self.may_fetch:
            return refusal
        wanted = ALLOW_TRAIN if self.may_train else DENY_TRAIN
        return next((reason for reason in self.reasons if reason.effect == wanted), None)

    @property
    def signals_seen(self) -> tuple[str, ...]:
        """The distinct signal names among the reasons, in order of first appearance."""
        return tuple(dict.fromkeys(reason.signal for reason in self.reasons))
