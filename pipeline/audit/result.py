"""The result of an audit: plain data, one list per section, and its stable JSON form.

``docs/audit.md`` documents the JSON (``format_version`` 1). Keys keep the order they are
written in here; every section is a list, empty when the files hold nothing about the
publisher, so a consumer never tests for a missing key.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

__all__ = ["FORMAT_VERSION", "SECTIONS", "PublisherAudit", "refused", "refused_why"]

#: Bumped when a key is renamed or removed (adding a key keeps it).
FORMAT_VERSION = 1

#: The list sections, in the order the text and JSON give them.
SECTIONS = (
    "versions",
    "robots_fetches",
    "robots_changes",
    "decisions",
    "documents",
    "duplicates",
    "removals",
    "exclusions",
)


def refused(decisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The decision rows that refused a URL or left it out: not fetched, stopped by a fetch
    or scope outcome, or fetched and refused for training."""
    return [
        r
        for r in decisions
        if not r["may_fetch"] or r["outcome"] or (r["stage"] != "robots" and not r["may_train"])
    ]


def refused_why(row: dict[str, Any]) -> str:
    """What refused a row: its outcome (ours) or else its deciding signal (the publisher's)."""
    return str(row["outcome"] or row["deciding_signal"] or "unknown")


@dataclass(frozen=True)
class PublisherAudit:
    """What the dataset's files say about one publisher, up to one version."""

    dataset: str
    version: str
    publisher: dict[str, str]
    crawl_runs: list[str]
    versions: list[dict[str, Any]]
    robots_fetches: list[dict[str, Any]]
    robots_changes: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]
    removals: list[dict[str, Any]]
    exclusions: list[dict[str, Any]]

    @property
    def empty(self) -> bool:
        """No file mentions the publisher: never crawled, never built, never removed."""
        return not any(getattr(self, name) for name in SECTIONS[1:])

    def summary(self) -> dict[str, int]:
        """The counts the text report leads with (and JSON carries as ``summary``)."""
        rows = self.decisions
        before = [r for r in rows if r["stage"] == "robots"]
        page = [r for r in rows if r["stage"] != "robots"]
        in_version = [d for d in self.documents if self.version in d["versions"]]
        return {
            "robots_fetches": len(self.robots_fetches),
            "robots_changes": len(self.robots_changes),
            "urls_considered": len({r["url"] for r in rows}),
            "refused_before_fetch": sum(not r["may_fetch"] for r in before),
            "opted_out_of_training": sum(
                not r["may_train"] and not r["outcome"] for r in page if r["may_fetch"]
            ),
            "left_out": sum(bool(r["outcome"]) for r in rows),
            "cleared_for_training": sum(bool(r["may_train"]) for r in page),
            "documents_in_version": len(in_version),
            "documents_ever": len(self.documents),
            "duplicates": len(self.duplicates),
            "removals": len(self.removals),
            "exclusions": len(self.exclusions),
        }

    def refusals_by_signal(self) -> dict[str, int]:
        """The :func:`refused` rows counted by :func:`refused_why`, most first."""
        return dict(Counter(refused_why(r) for r in refused(self.decisions)).most_common())

    def as_dict(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "dataset": self.dataset,
            "version": self.version,
            "publisher": self.publisher,
            "empty": self.empty,
            "summary": self.summary(),
            "refusals_by_signal": self.refusals_by_signal(),
            "crawl_runs": self.crawl_runs,
            **{name: getattr(self, name) for name in SECTIONS},
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"
