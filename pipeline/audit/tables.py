"""The audit's row queries: decisions, documents, duplicates, removals and exclusions.

Each reads one kind of file across every run or version the audit knows, filtered to
the publisher in SQL, and returns plain rows (JSON-ready dicts) in a stable order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.audit._duck import Duck
from pipeline.audit.publisher import Publisher
from pipeline.audit.sources import AuditSources

__all__ = ["DECISION_COLUMNS", "decisions", "documents", "duplicates", "exclusions", "removals"]

DECISION_COLUMNS = (
    "url",
    "time",
    "stage",
    "may_fetch",
    "may_index",
    "may_train",
    "training_signal",
    "deciding_signal",
    "rule",
    "evidence",
    "outcome",
    "signals_seen",
    "http_status",
    "robots_sha256",
    "robots_fetched_at",
    "crawl_token",
    "training_token",
    "warc_file",
    "warc_record_id",
)
_DOCUMENT_COLUMNS = (
    "id",
    "url",
    "source",
    "fetched_at",
    "warc_file",
    "warc_record_id",
    "robots_sha256",
    "training_signal",
    "signals_seen",
    "decided_at",
    "dup_cluster_id",
    "dup_cluster_size",
)
_ADMISSION = (
    "run",
    "time",
    "stage",
    "training_signal",
    "deciding_signal",
    "rule",
    "evidence",
    "signals_seen",
    "robots_sha256",
)
_DUPLICATE_COLUMNS = (
    "id",
    "url",
    "source",
    "reason",
    "dup_cluster_id",
    "dedup_matched_id",
    "dedup_matched_version",
)
#: Read by name: the removals table gains columns over time; absent ones are null.
REMOVAL_COLUMNS = (
    "id",
    "url",
    "source",
    "licensor",
    "removed_from",
    "reason",
    "deciding_signal",
    "rule",
    "evidence",
    "note",
    "request",
    "removed_at",
    "replaced_by",
)
_EXCLUSION_COLUMNS = ("step", "reason", "id", "source", "url", "evidence")


def decisions(duck: Duck, src: AuditSources, who: Publisher) -> list[dict[str, Any]]:
    """Every decision row of every known run for the publisher, with its run folder."""
    files = src.run_files("decisions")
    rows = duck.select(files, DECISION_COLUMNS, who.host_condition("host"), "time, url, stage")
    for row in rows:
        row["run"] = str(Path(row.pop("filename")).parent.parent)
    return rows


def documents(
    duck: Duck, src: AuditSources, who: Publisher, admitted: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The publisher's documents in any version of the lineage: the versions holding each,
    the first of them, and the page decision that admitted it (by WARC record id)."""
    by_file = {str(shard.path): shard.versions for shard in src.shards()}
    rows = duck.select(
        [Path(f) for f in by_file], _DOCUMENT_COLUMNS, who.document_condition(), "url, id"
    )
    admitting = {
        d["warc_record_id"]: d
        for d in admitted
        if d["stage"] == "page" and d["may_train"] and d["warc_record_id"]
    }
    order = [v.name for v in src.versions]
    merged: dict[str, dict[str, Any]] = {}
    for row in rows:
        held = by_file[row.pop("filename")]
        doc = merged.setdefault(row["id"], {**row, "versions": []})
        doc["versions"] = sorted({*doc["versions"], *held}, key=order.index)
    for doc in merged.values():
        doc["first_version"] = doc["versions"][0]
        decision = admitting.get(doc["warc_record_id"])
        doc["admitted_by"] = None if decision is None else {k: decision[k] for k in _ADMISSION}
    return sorted(merged.values(), key=lambda d: (d["url"] or "", d["id"]))


def duplicates(duck: Duck, src: AuditSources, who: Publisher) -> list[dict[str, Any]]:
    """The publisher's documents each version's build dropped as duplicates, and of what."""
    rows = _per_version(duck, src, "duplicates.parquet", _DUPLICATE_COLUMNS, who)
    matched = _matched_urls(duck, src, {r["dedup_matched_id"] for r in rows})
    for row in rows:
        row["matched_url"] = matched.get(row["dedup_matched_id"])
    return rows


def removals(duck: Duck, src: AuditSources, who: Publisher) -> list[dict[str, Any]]:
    """Every removal of the publisher's documents across the lineage."""
    return _per_version(duck, src, "removals.parquet", REMOVAL_COLUMNS, who)


def exclusions(duck: Duck, src: AuditSources, who: Publisher) -> list[dict[str, Any]]:
    """The publisher's pages each build's stage 1 dropped (consent, extraction, filters)."""
    return _per_version(duck, src, "exclusions/*.parquet", _EXCLUSION_COLUMNS, who)


def _per_version(
    duck: Duck, src: AuditSources, relative: str, columns: tuple[str, ...], who: Publisher
) -> list[dict[str, Any]]:
    history = src.history(relative)
    owner = {str(path): name for name, path in history}
    rows = duck.select([p for _, p in history], columns, who.url_condition("url"), "url, id")
    for row in rows:
        row["version"] = owner[row.pop("filename")]
    order = [v.name for v in src.versions]
    return sorted(rows, key=lambda r: (order.index(r["version"]), r["url"] or "", r["id"]))


def _matched_urls(duck: Duck, src: AuditSources, ids: set[str]) -> dict[str, str | None]:
    """The URL (or source) of each document a duplicate matched, looked up by id."""
    if not ids:
        return {}
    wanted = ", ".join("'" + i.replace("'", "''") + "'" for i in sorted(ids))
    files = [shard.path for shard in src.shards()]
    rows = duck.select(files, ("id", "url", "source"), f"id IN ({wanted})")
    return {r["id"]: r["url"] or r["source"] for r in rows}
