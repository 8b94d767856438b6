"""Why a crawl fetched nothing, from its decision log, in one line.

A crawl whose every seed was refused (robots.txt, the address guard, out of
scope) is not a success with zero pages: ``gleaner crawl`` says why and exits
non-zero. The reasons are the ones the crawl recorded; seeds the spider
dropped as out of scope leave no decision row, so they are found from the job.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.parquet as pq

import policies
from crawler.jobspec import JobSpec

__all__ = ["nothing_fetched"]

_COLUMNS = ["stage", "deciding_signal", "rule", "outcome"]


def nothing_fetched(job: JobSpec, run_dir: Path) -> str | None:
    """``None`` when the run fetched a page; else why nothing was fetched."""
    rows = _decisions(run_dir)
    if any(row["stage"] == "page" for row in rows):
        return None
    reasons: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for row in rows:
        reason = _reason(row)
        reasons[reason] += 1
        examples.setdefault(reason, row["rule"] or "")
    parts = [_part(n, reason, examples[reason]) for reason, n in reasons.most_common()]
    outside = [seed for seed in job.seeds if not _in_scope(job, seed)]
    if outside:
        parts.append(f"{len(outside)} seed(s) outside [scope] allowed_hosts ({outside[0]})")
    if not parts:
        parts.append("no seed or sitemap was requested")
    return f"{run_dir}: nothing fetched: " + "; ".join(parts)


def _decisions(run_dir: Path) -> list[dict[str, str | None]]:
    rows: list[dict[str, str | None]] = []
    for path in sorted(run_dir.glob("decisions/*.parquet")):
        rows += pq.read_table(path, columns=_COLUMNS).to_pylist()
    return rows


def _reason(row: dict[str, str | None]) -> str:
    if row["outcome"]:  # our side refused (address guard, parked host, crawl delay)
        return str(row["outcome"]).replace("_", " ")
    signal = row["deciding_signal"] or "policy"
    return "robots.txt" if signal == "robots" else signal


def _part(count: int, reason: str, rule: str) -> str:
    because = f" ({rule})" if rule else ""
    return f"{count} URL(s) refused by {reason}{because}"


def _in_scope(job: JobSpec, url: str) -> bool:
    host = policies.canonical_host(urlsplit(url).hostname or "")
    allowed = [policies.canonical_host(h) for h in job.allowed_hosts]
    return not allowed or any(host == h or host.endswith("." + h) for h in allowed)
