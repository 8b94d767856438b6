"""Re-evaluate documents against what their publishers say now (an opt-out refresh).

The refresh run's captures (:func:`pipeline.sites_collect.collect_site_signals` over its
robots log and WARC files) are the newest word of each authority it asked. A document of
one of those authorities is removed when :func:`policies.evaluate`, given the new
robots.txt and TDMRep file, refuses it: robots.txt now refuses the fetch (a 5xx or an
unreachable file is RFC 9309's "disallow all", the same rule as at crawl time) or a
site-level signal now refuses training.

Why the page's own signals need not be read again: every document in a version passed the
consent gate, so its page signals held no training refusal and were readable (else it was
dropped as ``opt_out/...`` or ``signals_unreadable``). In :func:`policies.evaluate` a
training refusal is any single ``deny_train`` reason, and page signals can only add
reasons: ``deny_train`` (absent here), ``deny_index`` (not about training) or an explicit
allow, which never outweighs a ``deny_train`` and never lifts a refused fetch. So "the new
site signals plus the page's recorded signals refuse" is exactly "the new site signals
refuse", which is what is computed. A newer answer that refuses nothing (``unknown``)
never removes a document: as in the build's gate, a newer "yes" never loosens an older
"no", and only a "no" takes a document out.

Licensed documents are never judged by web signals. An authority whose robots.txt the
address guard kept us from fetching (our refusal, not the publisher's) is not judged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import policies
from pipeline.sites import SiteCapture, SiteSignals
from pipeline.versions.removal import Removal
from policies.verdict import DISALLOWED

__all__ = ["HostChange", "RefreshJudge", "host_changes"]

_OUR_REFUSAL = "address guard"  # in a robots-log error: we did not ask, nobody answered


@dataclass(frozen=True)
class HostChange:
    """One authority's robots.txt before and after the refresh (sha256, or why none)."""

    authority: str
    before: str
    after: str
    judged: bool  # False when we could not ask (the address guard)


def _digest(captures: Sequence[SiteCapture]) -> str:
    if not captures:
        return "none"
    capture = captures[-1]
    return capture.sha256[:16] if capture.status is not None else "unreachable"


def host_changes(before: SiteSignals, after: SiteSignals) -> list[HostChange]:
    """Per authority the refresh asked: the newest robots.txt digest known before, and now."""
    return [
        HostChange(
            key,
            _digest(before.newest("robots", key)),
            _digest(after.newest("robots", key)),
            not _guarded(after.newest("robots", key)),
        )
        for key in sorted(after.authorities())
    ]


def _guarded(captures: Sequence[SiteCapture]) -> bool:
    return any(c.status is None and _OUR_REFUSAL in c.note for c in captures)


_Said = tuple[policies.RobotsTxt | None, policies.TdmRepFile | None, SiteCapture | None]


@dataclass
class RefreshJudge:
    """A :data:`pipeline.versions.derive.Judge`: the removal for a document row, or None.

    Every newest capture of the authority is heard, one at a time (several share the
    newest time when one refresh fetched twice, or a capture is undated): the first that
    refuses removes the document, as the build's gate does (:meth:`SiteSignals.newest`).
    """

    sites: SiteSignals
    crawl_agent: str
    training_agent: str
    _parsed: dict[str, list[_Said]] = field(default_factory=dict, repr=False)

    def __call__(self, row: Mapping[str, Any]) -> Removal | None:
        if row.get("source") != "web" or not row.get("url"):
            return None
        url = str(row["url"])
        # None said (not asked, or answered by nobody but our guard): nothing to judge.
        for robots, tdmrep, capture in self._said(policies.authority(url)):
            verdict = policies.evaluate(
                url,
                crawl_agent=self.crawl_agent,
                training_agent=self.training_agent,
                robots=robots,
                tdmrep=tdmrep,
                config=policies.PolicyConfig(fetch_without_robots=True),
            )
            if not verdict.may_fetch or verdict.training_signal == DISALLOWED:
                return _removal(str(row["id"]), verdict, capture)
        return None

    def _said(self, key: str) -> list[_Said]:
        """Each newest robots.txt (ours to judge: not refused by our guard) and TDMRep file."""
        if key not in self._parsed:
            robots = [c for c in self.sites.newest("robots", key) if not _guarded([c])]
            tdmrep = self.sites.newest("tdmrep", key)
            said: list[_Said] = [(c.robots(), None, c) for c in robots]
            said += [(None, c.tdmrep(), c) for c in tdmrep]
            self._parsed[key] = said
        return self._parsed[key]


def _removal(doc_id: str, verdict: policies.Verdict, capture: SiteCapture | None) -> Removal:
    reason = verdict.deciding_reason
    signal = reason.signal if reason is not None else "robots"
    unreachable = capture is not None and not verdict.may_fetch and _unreachable(capture)
    evidence = [_capture_evidence(capture)] if capture is not None else []
    if reason is not None:
        evidence.append(f"{reason.rule}: {reason.evidence}")
    return Removal(
        id=doc_id,
        reason="robots_unreachable" if unreachable else f"opt_out/{signal}",
        deciding_signal=signal,
        rule=reason.rule if reason is not None else None,
        evidence="; ".join(evidence),
    )


def _unreachable(capture: SiteCapture) -> bool:
    """RFC 9309 §2.3.1.4: no answer, or a server error, is "unreachable"."""
    return capture.status is None or capture.status >= 500 or capture.status == 429


def _capture_evidence(capture: SiteCapture) -> str:
    if capture.kind != "robots":
        return capture.evidence  # a TDMRep file: kind, authority, time, status, digest
    when = capture.time.isoformat(timespec="seconds") if capture.time else "undated"
    if capture.status is None:
        return f"robots.txt of {capture.authority}/ at {when}: unreachable ({capture.note})"
    status = f"HTTP {capture.status} sha256 {capture.sha256}"
    return f"robots.txt of {capture.authority}/ at {when}: {status}"
