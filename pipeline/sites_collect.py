"""Gather a build's site-level captures: raw site-file records → :class:`SiteCapture`.

Two sources. Our crawls log every robots.txt fetch (redirects followed, unreachable
answers included), so their robots log is the record and the WARC only supplies bodies.
Archives made by others hold raw records: a revisit stands for an earlier capture (found
by record id, payload digest, or URI and date), a 3xx for the capture of its target
(RFC 9309 §2.3.1.2: up to five hops, applying to the first authority). Whatever cannot be
resolved is unreachable for robots.txt and absent for TDMRep (see :mod:`pipeline.sites`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pyarrow.parquet as pq

from pipeline.readers._revisits import BuildOriginals
from pipeline.readers.robots import ArchivedSiteFile, archived_site_files
from pipeline.sites import SiteCapture, SiteSignals
from policies.authority import authority

__all__ = ["captures_from_archive", "captures_from_crawl_log", "collect_site_signals"]

_MAX_HOPS = 5
_Resolved = tuple[int | None, bytes, str]


def collect_site_signals(
    crawl_runs: Sequence[Path],
    archives: Sequence[Path],
    crawl_archives: Sequence[Path],
    originals: BuildOriginals | None = None,
) -> SiteSignals:
    """Every site-level capture of a build's inputs (see :mod:`pipeline.sites`).

    ``crawl_runs`` give robots logs; ``crawl_archives`` are their WARC files (read for
    robots.txt bodies and TDMRep files); ``archives`` are third-party WARC/ARC files.
    ``originals`` notes every record read on the way (the build's revisit index).
    """
    ours = [f for path in crawl_archives for f in archived_site_files(path, originals)]
    theirs = [f for path in archives for f in archived_site_files(path, originals)]
    captures = captures_from_crawl_log(crawl_runs, ours)
    captures += captures_from_archive(theirs + [f for f in ours if f.kind == "tdmrep"])
    return SiteSignals(captures)


def captures_from_crawl_log(
    runs: Sequence[Path], files: Iterable[ArchivedSiteFile]
) -> list[SiteCapture]:
    """One capture per row of each run's robots log, bodies from its WARC files."""
    bodies = {f.record_id: f for f in files if f.kind == "robots" and f.record_type == "response"}
    captures: list[SiteCapture] = []
    for run in runs:
        for path in sorted((run / "robots").glob("*.parquet")):
            for row in pq.read_table(path).to_pylist():
                captures.append(_from_log_row(row, bodies, f"robots log {path.parent}"))
    return captures


def _from_log_row(
    row: dict[str, Any], bodies: dict[str, ArchivedSiteFile], source: str
) -> SiteCapture:
    status, body, note = _log_outcome(row, bodies)
    return SiteCapture(
        "robots", authority(f"{row['authority']}/"), row["time"], status, body, source, note
    )


def _log_outcome(row: dict[str, Any], bodies: dict[str, ArchivedSiteFile]) -> _Resolved:
    status = row.get("status")
    if status is None:
        if row.get("outcome") == "allow-all":  # the crawler gave up after five redirects
            return 404, b"", row.get("error") or "too many redirects"
        return None, b"", row.get("error") or "unreachable"
    outcome = row.get("outcome")
    if outcome == "disallow-all":
        # What the crawler concluded stands, whatever the status: an empty body under a
        # 2xx would otherwise read as "no rules", i.e. allow all.
        return None, b"", row.get("error") or f"disallow all (HTTP {status})"
    if outcome != "parsed":
        return int(status), b"", ""  # allow all: the status alone says so (4xx)
    found = bodies.get(row.get("warc_record_id") or "")
    if found is None or found.problem:
        return None, b"", "robots.txt body not found in the run's WARC files"
    return int(status), found.body, ""


@dataclass
class _Index:
    """Archived responses by record id, payload digest and URL, for resolving."""

    by_id: dict[str, ArchivedSiteFile] = field(default_factory=dict)
    by_digest: dict[tuple[str, str], ArchivedSiteFile] = field(default_factory=dict)
    by_url: dict[str, list[ArchivedSiteFile]] = field(default_factory=dict)

    @classmethod
    def of(cls, files: Sequence[ArchivedSiteFile]) -> _Index:
        index = cls()
        for f in files:
            if f.record_type != "response":
                continue
            index.by_id[f.record_id] = f
            if f.payload_digest:
                index.by_digest.setdefault((f.kind, f.payload_digest), f)
            index.by_url.setdefault(_url_key(f.url), []).append(f)
        return index

    def original(self, revisit: ArchivedSiteFile) -> ArchivedSiteFile | None:
        if revisit.refers_to and revisit.refers_to in self.by_id:
            return self.by_id[revisit.refers_to]
        if revisit.payload_digest and (revisit.kind, revisit.payload_digest) in self.by_digest:
            return self.by_digest[(revisit.kind, revisit.payload_digest)]
        candidates = self.by_url.get(_url_key(revisit.refers_to_uri or revisit.url), [])
        return _closest(candidates, revisit.refers_to_date) if revisit.refers_to_date else None

    def target(self, url: str, at: datetime | None) -> ArchivedSiteFile | None:
        return _closest(self.by_url.get(_url_key(url), []), at)


def captures_from_archive(files: Sequence[ArchivedSiteFile]) -> list[SiteCapture]:
    """One capture per archived record, redirects and revisits resolved across all files."""
    index = _Index.of(files)
    captures: list[SiteCapture] = []
    for f in files:
        status, body, note = _resolve(f, index, 0)
        if f.kind == "tdmrep" and status is None:
            continue  # TDMRep: a file we cannot read is no statement
        source = f"{f.file}#{f.record_id}"
        captures.append(SiteCapture(f.kind, f.authority, f.time, status, body, source, note))
    return captures


def _resolve(f: ArchivedSiteFile, index: _Index, hops: int) -> _Resolved:
    if f.problem:
        return None, b"", f.problem
    if f.record_type == "revisit":
        original = index.original(f)
        if original is None:
            return None, b"", "revisit whose original capture is not in the build"
        status, body, note = _resolve(original, index, hops)
        # A server-not-modified revisit (304) stands for the original answer as a whole.
        if status is not None and f.status not in (None, 304):
            status = f.status
        return status, body, note or f"revisit of {original.record_id}"
    if f.status is not None and 300 <= f.status < 400 and f.location:
        return _follow(f, index, hops)
    return f.status, f.body, ""


def _follow(f: ArchivedSiteFile, index: _Index, hops: int) -> _Resolved:
    if hops >= _MAX_HOPS:
        return 404, b"", "more than five redirects: unavailable (RFC 9309 §2.3.1.2)"
    target_url = urljoin(f.url, f.location or "")
    target = index.target(target_url, f.time)
    if target is None:
        return None, b"", f"redirect to {target_url}, which is not captured in the build"
    status, body, note = _resolve(target, index, hops + 1)
    return status, body, note or f"redirected to {target_url}"


def _url_key(url: str) -> str:
    """The same file whatever the spelling of its authority (default port, case, dot)."""
    path = url.split("://", 1)[-1].partition("/")[2]
    return f"{authority(url)}/{path}"


def _closest(candidates: list[ArchivedSiteFile], at: datetime | None) -> ArchivedSiteFile | None:
    if not candidates:
        return None
    if at is None:
        return candidates[-1]
    dated = [c for c in candidates if c.time is not None]
    if not dated:
        return candidates[-1]
    return min(dated, key=lambda c: abs((c.time - at).total_seconds()) if c.time else 0.0)
