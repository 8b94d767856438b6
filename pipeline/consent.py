"""The consent gate: only documents whose decision allows training pass.

For our own crawls the decision was taken at fetch time and logged; the gate
joins each response to its ``page`` decision by WARC record id. Archives made
by others carry no decision log, so the gate re-applies :mod:`policies` to the
archived headers and HTML, with the robots.txt and TDMRep captures of the
page's authority that were in force when it was captured (from any input of
the build, see :mod:`pipeline.sites`); with none the training signal is
``unknown`` and the configured default for third-party input applies.

Then the latest word wins: the newest site-level captures known for the
authority, and every one made after the page was captured, are applied to every
page, old captures included. Any refusal there (robots.txt now disallows the page
or training, answers 5xx, cannot be read; a TDMRep file now reserves it) drops the
page as ``opt_out_newer/<signal>``, and so does a page-level refusal on another capture
of the same page made when or after it was taken (:mod:`pipeline.page_refusals`). A
newer "yes" never loosens an older "no".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

import policies
from pipeline.document import Document
from pipeline.page_refusals import PageRefusals
from pipeline.sites import SiteCapture, SiteSignals
from pipeline.step import Drop, FilterStep
from policies.verdict import DISALLOWED, UNREADABLE
from record.rows import verdict_columns
from record.tokens import CRAWL_TOKEN, TRAINING_TOKEN

__all__ = ["ConsentGate", "Decision", "load_decisions"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The part of a logged page decision that a document carries on."""

    may_train: bool
    training_signal: str
    deciding_signal: str | None
    signals_seen: tuple[str, ...]
    robots_sha256: str | None
    time: datetime | None
    outcome: str | None = None  # the page was not read (a 304, a refused type, ...)


def load_decisions(files: tuple[Path, ...]) -> Mapping[str, Decision]:
    """Page-stage decisions of a crawl, keyed by the response's WARC record id.

    Read once per worker process (every WARC file of a run joins the same log),
    keyed by each file's size and modification time so a changed log is read again.
    """
    return _load_decisions(tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in files))


@lru_cache(maxsize=4)
def _load_decisions(files: tuple[tuple[Path, int, int], ...]) -> Mapping[str, Decision]:
    found: dict[str, Decision] = {}
    for path, _mtime, _size in files:
        # Logs written before the ``outcome`` column existed lack it: read as empty.
        columns = [c for c in _COLUMNS if c in pq.read_schema(path).names]
        for row in pq.read_table(path, columns=columns).to_pylist():
            if row["stage"] == "page" and row["warc_record_id"]:
                found[row["warc_record_id"]] = _decision(row)
    return found


_COLUMNS = (
    "stage",
    "warc_record_id",
    "may_train",
    "training_signal",
    "deciding_signal",
    "signals_seen",
    "robots_sha256",
    "time",
    "outcome",
)


def _decision(row: Mapping[str, Any]) -> Decision:
    """A logged row (or :func:`record.verdict_columns`) as a decision. Only a row that
    says True, with no outcome, trains: an outcome means nothing was read."""
    return Decision(
        may_train=row["may_train"] is True and not row.get("outcome"),
        training_signal=row["training_signal"] or "unknown",
        deciding_signal=row["deciding_signal"],
        signals_seen=tuple(row["signals_seen"] or ()),
        robots_sha256=row.get("robots_sha256"),
        time=row.get("time"),
        outcome=row.get("outcome"),
    )


class ConsentGate(FilterStep):
    """Keep a web document only when its decision, and the newest site signals, allow training.

    ``decisions`` is the logged decision table of our crawl; ``None`` means
    third-party input, judged again from the archived response. ``sites`` holds the
    build's robots.txt and TDMRep captures (none known: an empty table).
    """

    name = "consent"

    def __init__(
        self,
        decisions: Mapping[str, Decision] | None,
        *,
        crawl_agent: str = CRAWL_TOKEN,
        training_agent: str = TRAINING_TOKEN,
        third_party_training: str = "deny",
        sites: SiteSignals | None = None,
        page_refusals: PageRefusals | None = None,
    ) -> None:
        super().__init__()
        self.decisions = decisions
        self.sites = sites or SiteSignals(())
        self.page_refusals = page_refusals or PageRefusals()
        self._parsed: dict[int, tuple[policies.RobotsTxt | None, policies.TdmRepFile | None]] = {}
        self.crawl_agent = crawl_agent
        self.training_agent = training_agent
        # An archived page was already fetched by someone else: the question
        # left is training, and without robots.txt "unknown" takes the default.
        self.config = policies.PolicyConfig(
            fetch_without_robots=True,
            train_when_unknown_without_robots=third_party_training == "allow",
        )

    def decide(self, doc: Document) -> Drop | None:
        if doc.is_licensed:
            return None
        decision = self._lookup(doc)
        if decision is None:
            return Drop("no_decision")
        newer = self._newer_refusal(doc) if decision.may_train else None
        if newer is None and decision.may_train:
            newer = self._newer_page_refusal(doc, decision)
        if newer is not None:
            decision, doc.metadata["evidence"] = newer
        doc.training_signal = decision.training_signal
        doc.signals_seen = decision.signals_seen
        doc.robots_sha256 = decision.robots_sha256
        doc.decided_at = decision.time
        if not decision.may_train and decision.training_signal == UNREADABLE:
            return Drop("signals_unreadable")  # not an opt-out: we could not read it all
        if not decision.may_train and decision.outcome and decision.training_signal != DISALLOWED:
            return Drop(f"outcome/{decision.outcome}")  # not an opt-out: nothing was read
        if not decision.may_train:
            prefix = "opt_out_newer" if newer is not None else "opt_out"
            return Drop(f"{prefix}/{decision.deciding_signal or decision.training_signal}")
        return None

    def refused_now(self, doc: Document) -> str | None:
        """The signal by which the newest site-level captures refuse ``doc`` (None: they
        do not), whatever was decided when it was taken: a copy about to be brought back
        into a dataset must pass what its publisher says now."""
        newer = self.newer_word(doc)
        return None if newer is None else newer[0]

    def newer_word(self, doc: Document) -> tuple[str, str] | None:
        """(signal, evidence) of a refusal of ``doc`` by the newest site-level captures, one
        made after it was taken, or a page-level refusal on a capture of its page made when
        or after it was taken; None when nothing refuses it now."""
        found = self._newer_refusal(doc)
        if found is None and self.page_refusals.newer(doc.url or "", doc.fetched_at):
            allowed = Decision(True, "unknown", None, (), None, doc.fetched_at)
            found = self._newer_page_refusal(doc, allowed)
        if found is None:
            return None
        decision, evidence = found
        return decision.deciding_signal or decision.training_signal, evidence

    def _lookup(self, doc: Document) -> Decision | None:
        if self.decisions is not None:
            return self.decisions.get(doc.warc_record_id or "")
        return self._reevaluate(doc)

    def _reevaluate(self, doc: Document) -> Decision:
        """The page judged with the site-level captures in force when it was captured."""
        key = policies.authority(doc.url or "")
        robots = self.sites.in_force("robots", key, doc.fetched_at)
        tdmrep = self.sites.in_force("tdmrep", key, doc.fetched_at)
        headers = doc.metadata.get("headers") or []
        html = None if doc.metadata.get("extracted") else doc.text
        verdicts = [
            (self._evaluate(doc, r, t, headers, html), r) for r, t in _pairs(robots, tdmrep)
        ]
        verdict, capture = min(verdicts, key=lambda pair: _strictness(pair[0]))
        return _as_decision(verdict, doc.fetched_at, capture)

    def _newer_refusal(self, doc: Document) -> tuple[Decision, str] | None:
        """A refusal by the newest robots.txt or TDMRep capture of the page's authority, or
        by any made after the page was captured (see :meth:`SiteSignals.since`).

        Each capture is judged on its own: a refusal comes from one signal (robots.txt for
        either token, or a TDMRep reservation), so pairing them would find no other, and
        a year of daily refreshes stays linear.
        """
        key = policies.authority(doc.url or "")
        robots = self.sites.since("robots", key, doc.fetched_at)
        tdmrep = self.sites.since("tdmrep", key, doc.fetched_at)
        pairs = [(r, None) for r in robots] + [(None, t) for t in tdmrep]
        for r, t in pairs:
            verdict = self._evaluate(doc, r, t, [], None)
            if not verdict.may_fetch or verdict.training_signal == DISALLOWED:
                evidence = "; ".join(c.evidence for c in (r, t) if c is not None)
                return _as_decision(verdict, doc.fetched_at, r), evidence
        return None

    def _newer_page_refusal(self, doc: Document, decision: Decision) -> tuple[Decision, str] | None:
        """A refusal by another capture of the same page made when or after it was taken
        (see :mod:`pipeline.page_refusals`)."""
        found = self.page_refusals.newer(doc.url or "", doc.fetched_at)
        if found is None:
            return None
        refused = replace(
            decision, may_train=False, training_signal=DISALLOWED, deciding_signal=found.signal
        )
        return refused, found.evidence

    def _evaluate(
        self,
        doc: Document,
        robots: SiteCapture | None,
        tdmrep: SiteCapture | None,
        headers: object,
        html: str | None,
    ) -> policies.Verdict:
        return policies.evaluate(
            doc.url or "",
            crawl_agent=self.crawl_agent,
            training_agent=self.training_agent,
            robots=self._parse(robots)[0],
            tdmrep=self._parse(tdmrep)[1],
            headers=headers,  # type: ignore[arg-type]
            html=html,
            # A WARC-Truncated capture: whatever followed the cut was never read.
            html_cut_at=doc.metadata.get("truncated_at") if html is not None else None,
            config=self.config,
        )

    def _parse(
        self, capture: SiteCapture | None
    ) -> tuple[policies.RobotsTxt | None, policies.TdmRepFile | None]:
        """Each capture parsed once per gate (robots.txt or TDMRep, by its kind)."""
        if capture is None:
            return None, None
        if id(capture) not in self._parsed:
            robots = capture.robots() if capture.kind == "robots" else None
            tdmrep = capture.tdmrep() if capture.kind == "tdmrep" else None
            self._parsed[id(capture)] = (robots, tdmrep)
        return self._parsed[id(capture)]


def _pairs(
    robots: Sequence[SiteCapture], tdmrep: Sequence[SiteCapture]
) -> Iterable[tuple[SiteCapture | None, SiteCapture | None]]:
    """Every combination of the captures that apply (none of a kind: that kind absent)."""
    none: list[SiteCapture | None] = [None]
    return itertools.product(list(robots) or none, list(tdmrep) or none)


def _strictness(verdict: policies.Verdict) -> tuple[bool, bool, bool]:
    """Sort key: refusals first, and among them the ones with a publisher's signal."""
    return (verdict.may_train, verdict.may_fetch, verdict.training_signal != DISALLOWED)


def _as_decision(
    verdict: policies.Verdict, time: datetime | None, robots: SiteCapture | None = None
) -> Decision:
    columns = verdict_columns(verdict, "page")
    sha256 = robots.sha256 if robots is not None else None
    return _decision({**columns, "robots_sha256": sha256, "time": time})
