"""Audit one publisher from a dataset's files alone: ``audit_publisher(dataset, who)``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.audit import tables
from pipeline.audit._duck import Duck
from pipeline.audit.changes import robots_changes
from pipeline.audit.publisher import Publisher
from pipeline.audit.result import PublisherAudit
from pipeline.audit.robots import robots_fetches
from pipeline.audit.sources import AuditSources, sources

__all__ = ["audit_publisher"]


def audit_publisher(dataset: Path, who: Publisher, version: str | None = None) -> PublisherAudit:
    """Everything ``dataset`` (up to ``version``, default the latest) records about ``who``.

    Raises :class:`~pipeline.errors.DatasetError` for a folder that is no dataset or a
    version that does not exist.
    """
    src = sources(dataset, version)
    duck = Duck()
    try:
        decisions = tables.decisions(duck, src, who)
        fetches = robots_fetches(duck, src, who, decisions)
        documents = tables.documents(duck, src, who, decisions)
        removals = tables.removals(duck, src, who)
        return PublisherAudit(
            dataset=str(src.dataset),
            version=src.snapshot.name,
            publisher={who.kind: who.value},
            crawl_runs=[str(run) for run in src.runs],
            versions=_versions(src, documents, removals),
            robots_fetches=fetches,
            robots_changes=robots_changes(fetches),
            decisions=decisions,
            documents=documents,
            duplicates=tables.duplicates(duck, src, who),
            removals=removals,
            exclusions=tables.exclusions(duck, src, who),
        )
    finally:
        duck.close()


def _versions(
    src: AuditSources, documents: list[dict[str, Any]], removals: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Per version: how many of the publisher's documents it held, added and removed."""
    rows = []
    for info in src.versions:
        held = [d for d in documents if info.name in d["versions"]]
        rows.append(
            {
                "version": info.name,
                "kind": info.kind,
                "created": info.created,
                "parent": info.parent,
                "documents": len(held),
                "added": sum(d["first_version"] == info.name for d in held),
                "removed": sum(r["version"] == info.name for r in removals),
            }
        )
    return rows
