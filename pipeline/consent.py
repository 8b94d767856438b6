"""The consent gate: only documents whose decision allows training pass.

For our own crawls the decision was taken at fetch time and logged; the gate
joins each response to its ``page`` decision by WARC record id. Archives made
by others carry no decision log, so the gate re-applies :mod:`policies` to the
archived headers and HTML; with no robots.txt capture the training signal is
``unknown`` unless the archive holds a robots.txt capture of the page's
authority (Common Crawl's do), which is then applied too; otherwise the
configured default for third-party input applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

import policies
from pipeline.document import Document
from pipeline.readers.robots import RobotsCapture, authority
from pipeline.step import Drop, FilterStep

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


def load_decisions(files: tuple[Path, ...]) -> Mapping[str, Decision]:
    """Page-stage decisions of a crawl, keyed by the response's WARC record id.

    Read once per worker process (every WARC file of a run joins the same log),
    keyed by each file's size and modification time so a changed log is read again.
    """
    return _load_decisions(tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in files))


@lru_cache(maxsize=4)
def _load_decisions(files: tuple[tuple[Path, int, int], ...]) -> Mapping[str, Decision]:
    columns = [
        "stage",
        "warc_record_id",
        "may_train",
        "training_signal",
        "deciding_signal",
        "signals_seen",
        "robots_sha256",
        "time",
    ]
    found: dict[str, Decision] = {}
    for path, _mtime, _size in files:
        for row in pq.read_table(path, columns=columns).to_pylist():
            if row["stage"] == "page" and row["warc_record_id"]:
                found[row["warc_record_id"]] = _decision(row)
    return found


def _decision(row: Mapping[str, Any]) -> Decision:
    return Decision(
        may_train=bool(row["may_train"]),
        training_signal=row["training_signal"] or "unknown",
        deciding_signal=row["deciding_signal"],
        signals_seen=tuple(row["signals_seen"] or ()),
        robots_sha256=row["robots_sha256"],
        time=row["time"],
    )


class ConsentGate(FilterStep):
    """Keep a web document only when its decision says it may be trained on.

    ``decisions`` is the logged decision table of our crawl; ``None`` means
    third-party input, judged again from the archived response.
    """

    name = "consent"

    def __init__(
        self,
        decisions: Mapping[str, Decision] | None,
        *,
        crawl_agent: str = "Gleaner",
        training_agent: str = "Gleaner-Extended",
        third_party_training: str = "deny",
        robots: Mapping[str, RobotsCapture] | None = None,
    ) -> None:
        super().__init__()
        self.decisions = decisions
        self.captures = robots or {}
        self._parsed: dict[str, policies.RobotsTxt] = {}
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
        doc.training_signal = decision.training_signal
        doc.signals_seen = decision.signals_seen
        doc.robots_sha256 = decision.robots_sha256
        doc.decided_at = decision.time
        if not decision.may_train and decision.training_signal == "unreadable":
            return Drop("signals_unreadable")  # not an opt-out: we could not read it all
        if not decision.may_train:
            return Drop(f"opt_out/{decision.deciding_signal or decision.training_signal}")
        return None

    def _lookup(self, doc: Document) -> Decision | None:
        if self.decisions is not None:
            return self.decisions.get(doc.warc_record_id or "")
        return self._reevaluate(doc)

    def _reevaluate(self, doc: Document) -> Decision:
        robots = self._robots(doc.url or "")
        verdict = policies.evaluate(
            doc.url or "",
            crawl_agent=self.crawl_agent,
            training_agent=self.training_agent,
            robots=robots,
            headers=doc.metadata.get("headers") or [],
            html=None if doc.metadata.get("extracted") else doc.text,
            # A WARC-Truncated capture: whatever followed the cut was never read.
            html_cut_at=doc.metadata.get("truncated_at"),
            config=self.config,
        )
        reason = verdict.deciding_reason
        return Decision(
            may_train=verdict.may_train,
            training_signal=verdict.training_signal,
            deciding_signal=reason.signal if reason else None,
            signals_seen=tuple(verdict.signals_seen),
            robots_sha256=robots.sha256 if robots else None,
            time=doc.fetched_at,
        )

    def _robots(self, url: str) -> policies.RobotsTxt | None:
        """The archived robots.txt of the URL's authority, parsed once; None if not captured."""
        key = authority(url)
        if key not in self._parsed:
            capture = self.captures.get(key)
            if capture is None:
                return None
            self._parsed[key] = policies.RobotsTxt.parse(capture.body, capture.status)
        return self._parsed[key]
