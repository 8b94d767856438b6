"""``gleaner optout refresh``: ask a dataset's publishers again, and take back what they refuse.

    the latest version's web authorities (or --hosts)
      -> a small crawl of their site-level files, in <dataset>/refresh/<run-id>/ (crawler)
      -> the run's captures (pipeline.sites_collect) -> a judge (pipeline.optout)
      -> a new version without the refused documents (pipeline.versions.derive), a
         removed dedup survivor replaced by a copy that may still be trained on

The crawl runs in a child process (Twisted's reactor runs once per process). It speaks
with the identity and politeness of ``job`` when given, else of the job file kept by the
newest crawl run the dataset knows. A refresh that removes nothing and finds every
robots.txt unchanged writes no version; its run folder stays, as the record of the asking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import policies
from crawler.errors import CrawlerError
from crawler.jobspec import load_job
from crawler.refresh import new_refresh_run
from crawler.run_folders import JOB_COPY
from crawler.spawn import refresh_in_subprocess
from crawler.spiders.refresh import read_authorities
from pipeline.dataset import resolve_version
from pipeline.errors import DatasetError, PipelineError
from pipeline.lineage import VersionView, crawl_runs, view
from pipeline.optout import HostChange, RefreshJudge, host_changes, web_authorities
from pipeline.sites import SITES_FILE, SiteSignals
from pipeline.sites_collect import collect_site_signals
from pipeline.versions.derive import Derived, derive_version, plan_removals
from pipeline.versions.replace import replace_survivors

__all__ = ["REFRESH_FOLDER", "RefreshResult", "job_for", "refresh_dataset", "scheduled_refresh"]

#: Where a dataset keeps its refresh runs: ``<dataset>/refresh/<run-id>/``.
REFRESH_FOLDER = "refresh"
_REQUEST = "optout refresh"


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh asked, found and wrote."""

    run: Path
    hosts: list[HostChange]
    derived: Derived
    removed: dict[str, int] = field(default_factory=dict)  # authority -> documents

    @property
    def changed(self) -> bool:
        return bool(self.derived.removals) or any(h.before != h.after for h in self.hosts)


def job_for(snapshot: VersionView, job: Path | None) -> Path:
    """``job``, else the job file kept by the newest crawl run of the dataset that has one."""
    if job is not None:
        return job
    for run in reversed(crawl_runs(snapshot)):
        if (run / JOB_COPY).is_file():
            return run / JOB_COPY
    raise DatasetError(
        f"{snapshot.folder}: no crawl run of this dataset kept its job file: "
        "give the identity and politeness to refresh with, --job job.toml"
    )


def refresh_dataset(
    dataset: Path, *, hosts: Path | None = None, job: Path | None = None, dry_run: bool = False
) -> RefreshResult:
    """Refresh the site signals of ``dataset``'s latest version; see the module docstring."""
    latest = view(resolve_version(dataset))
    job_file = job_for(latest, job)
    spec = load_job(job_file)  # refused here, before anything is fetched
    authorities = read_authorities(hosts) if hosts else web_authorities(latest)
    run = new_refresh_run(dataset / REFRESH_FOLDER, job_file, authorities)
    refresh_in_subprocess(run / JOB_COPY, run)
    captures = collect_site_signals([run], [], sorted((run / "warc").glob("*.warc.gz")))
    judge = RefreshJudge(captures, spec.crawl_token, spec.training_token)
    changes = host_changes(_known_sites(latest), captures)
    derived = plan_removals(dataset, judge, request=_REQUEST)
    unchanged = all(h.before == h.after for h in changes)
    if not dry_run and (derived.removals or not unchanged):
        derived = derive_version(
            dataset,
            judge,
            kind="refresh",
            request=_REQUEST,
            sites=captures,
            crawl_runs=[run],
            replace=replace_survivors,  # a removed survivor's place goes to an eligible copy
        )
    return RefreshResult(run, changes, derived, _per_authority(derived.removals))


def _known_sites(snapshot: VersionView) -> SiteSignals:
    path = snapshot.folder / SITES_FILE
    return SiteSignals.load(path) if path.is_file() else SiteSignals(())


def _per_authority(rows: Sequence[dict[str, object]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        key = policies.authority(str(row.get("url") or ""))
        counts[key] = counts.get(key, 0) + 1
    return counts


def scheduled_refresh(dataset: Path, job: Path) -> str:
    """A refresh for ``gleaner schedule``: one line, or :class:`CrawlerError` with why not."""
    try:
        result = refresh_dataset(dataset, job=job)
    except PipelineError as exc:  # the schedule reports it as this dataset's problem
        raise CrawlerError(str(exc)) from exc
    removed = len(result.derived.removals)
    if result.derived.version is None:
        return f"no change ({len(result.hosts)} hosts asked); no version written"
    return f"{len(result.hosts)} hosts asked, {removed} removed: {result.derived.version}"
