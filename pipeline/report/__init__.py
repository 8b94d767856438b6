"""The numbers of ``gleaner report``: plain data read from a dataset version's files.

``report_data(version)`` reads what the version holds (its snapshot's shards), how consent
decided (every crawl run's decision log the dataset knows), what the builds' filters and dedup
dropped, and how the dataset changed version by version (manifests and removals). The HTML is
drawn elsewhere (``gleaner/report``); nothing here reads a document's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.lineage import VersionView, crawl_runs, view
from pipeline.report._query import Group, open_files
from pipeline.report.composition import Composition, Share, composition
from pipeline.report.funnels import (
    ConsentFunnel,
    FilterStep,
    Tally,
    consent_funnel,
    dedup_tallies,
    filter_steps,
)
from pipeline.report.history import VersionSize, removal_tallies, version_sizes

__all__ = [
    "Composition",
    "ConsentFunnel",
    "FilterStep",
    "ReportData",
    "Share",
    "Tally",
    "VersionSize",
    "report_data",
]


@dataclass(frozen=True)
class ReportData:
    """Everything the dataset report shows, for one version."""

    dataset: str
    version: str
    created: str
    kind: str
    crawl_runs: tuple[str, ...]
    composition: Composition
    consent: ConsentFunnel
    filters: tuple[FilterStep, ...]
    #: ``(version, reason, matched in version, documents)``.
    duplicates: tuple[tuple[str, str, str, int], ...]
    versions: tuple[VersionSize, ...]
    #: ``(version, reason, documents)``.
    removals: tuple[tuple[str, str, int], ...]


def report_data(version: Path) -> ReportData:
    """The report's numbers for ``version`` (a version folder; see ``resolve_version``)."""
    snapshot = view(version)
    runs = crawl_runs(snapshot)
    files = open_files(_groups(snapshot, runs))
    try:
        return ReportData(
            dataset=version.parent.name,
            version=snapshot.name,
            created=str(snapshot.manifest.get("created", "")),
            kind=str(snapshot.manifest.get("kind", "build")),
            crawl_runs=tuple(str(r) for r in runs),
            composition=composition(files),
            consent=consent_funnel(files),
            filters=filter_steps(files),
            duplicates=dedup_tallies(files),
            versions=version_sizes(snapshot, files),
            removals=removal_tallies(files),
        )
    finally:
        files.close()


def _groups(snapshot: VersionView, runs: list[Path]) -> dict[str, Group]:
    return {
        "documents": list(snapshot.shards),
        "decisions": _logs(runs, "decisions"),
        "stats": snapshot.history("stats/stats.parquet"),
        "duplicates": snapshot.history("duplicates.parquet"),
        "removals": snapshot.history("removals.parquet"),
    }


def _logs(runs: list[Path], log: str) -> list[Path]:
    # A crawl run moved or deleted since the build leaves its part of the funnel empty.
    return [f for run in runs for f in sorted((run / log).glob("*.parquet"))]
