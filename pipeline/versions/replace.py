"""Dedup stays right under removal: a removed survivor's cluster gets a new survivor.

Dedup keeps one document per cluster and lists the others in the version's
``duplicates.parquet`` with their whole row. When a version removes a cluster's
survivor, the cluster would be gone from the dataset though other members may still
be trained on; :func:`replace_survivors` (the removal engine's replace hook) picks
one of them to take its place.

A cluster here is everything the lineage's duplicates tables connect: a dropped
document, the document it matched (``dedup_matched_id``) and its build's survivor
(``dup_cluster_id``). That takes in chains: a copy dropped as a duplicate of an
earlier replacement belongs to the replaced survivor's cluster too. A cluster that
still has a document in the version keeps it; the others may get one replacement.

A member is eligible when its row holds text (tables written before duplicates
carried rows do not), it is not in the version, was never removed, is not being
removed now, and the caller's ``judge`` keeps it: a refresh judges with the new site
signals, so a copy that was itself opted out is never brought back. Whatever the
caller's rule, the dataset's own word must keep it too: no standing removal request
names it, no site-level capture the dataset knows refuses it now (the newest word, as
the build's consent gate reads it: a ``gleaner expire`` must not bring back the page of
a publisher a refresh found opted out), and a licensed copy's licence has not ended. Among the
eligible, the build's survivor preference chooses (licensed first, then the
configured ``prefer``, then the order the lineage dropped them in).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.consent import ConsentGate
from pipeline.dedup.plan import Ranking, choose_survivors
from pipeline.lineage import VersionView, read_manifest
from pipeline.shards import row_to_document
from pipeline.sites import SITES_FILE, SiteSignals
from pipeline.versions.removal import Judge, Removal
from pipeline.withdrawn import Withdrawn, withdrawals_of
from record.schema import DOCUMENT_SCHEMA
from record.tokens import CRAWL_TOKEN, TRAINING_TOKEN

__all__ = ["SKIP_REASONS", "Replacements", "replace_survivors"]

#: Why an eligible-looking cluster member was passed over, as counted in
#: :attr:`Replacements.skipped`.
SKIP_REASONS = (
    "no_text",
    "in_version",
    "removed_before",
    "removed_now",
    "refused",
    "requested_out",
    "opted_out",
    "licence_expired",
)

_LINKS = ["id", "dedup_matched_id", "dup_cluster_id"]
_DUPLICATES = "duplicates.parquet"


class Replacements(list[dict[str, Any]]):
    """The replacement rows (DOCUMENT_SCHEMA), as the replace hook returns them, plus
    ``skipped``: how many cluster members were passed over, by reason (:data:`SKIP_REASONS`),
    so the caller can report e.g. members of old duplicates tables that hold no text."""

    def __init__(self, rows: Iterable[dict[str, Any]] = (), skipped: Counter[str] | None = None):
        super().__init__(rows)
        self.skipped: Counter[str] = skipped if skipped is not None else Counter()


def replace_survivors(
    parent: VersionView, removed: Mapping[str, Removal], judge: Judge
) -> Replacements:
    """One replacement row per cluster whose survivors ``removed`` takes out of ``parent``
    and that has an eligible member left; deterministic (see the module docstring)."""
    tables = parent.history(_DUPLICATES)
    if not removed or not tables:
        return Replacements()
    touched = _clusters(tables, removed)
    # Only members' ids are looked up in the version, not a set of every document id.
    live = _held(parent.shards, {m for _, cluster in touched for m in cluster}) - set(removed)
    clusters = [(survivor, cluster) for survivor, cluster in touched if not cluster & live]
    rows = _member_rows(tables, {m for _, cluster in clusters for m in cluster})
    standing = _Standing(parent)
    excluded = {
        "in_version": live,
        "removed_before": standing.withdrawals.ids,
        "removed_now": set(removed),
    }
    result = Replacements()
    prefer = _prefer(parent)
    for survivor, cluster in clusters:
        eligible = [
            r for r in _ordered(rows, cluster) if _eligible(r, excluded, judge, standing, result)
        ]
        if eligible:
            chosen = eligible[_best(eligible, prefer)]
            result.append(_replacement(chosen, survivor, len(eligible)))
    return result


def _held(shards: Iterable[Path], wanted: set[str]) -> set[str]:
    """The ids of ``wanted`` that a document of ``shards`` has."""
    if not wanted:
        return set()
    value_set = pa.array(sorted(wanted), pa.string())
    found: set[str] = set()
    for shard in shards:
        ids = pq.read_table(shard, columns=["id"]).column("id")
        found.update(ids.filter(pc.is_in(ids, value_set=value_set)).to_pylist())
    return found


def _clusters(
    tables: Sequence[tuple[str, Path]], removed: Mapping[str, Removal]
) -> list[tuple[str, set[str]]]:
    """``(removed survivor, member ids)`` of each cluster holding a removed document, in
    the order of ``removed`` (the first removed member names it)."""
    links = _Links()
    for _, path in tables:
        table = pq.read_table(path, columns=_LINKS)
        for row in table.to_pylist():
            links.join(row["id"], row["dedup_matched_id"], row["dup_cluster_id"])
    groups: dict[str, set[str]] = {}
    for name in links.parent:
        groups.setdefault(links.root(name), set()).add(name)
    found, seen = [], set()
    for name in removed:
        if name in links.parent and (root := links.root(name)) not in seen:
            seen.add(root)
            found.append((name, groups[root]))
    return found


class _Links:
    """Union-find over document ids, joined by the duplicates tables' rows."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def root(self, name: str) -> str:
        self.parent.setdefault(name, name)
        while (up := self.parent[name]) != name:
            self.parent[name] = self.parent[up]  # path halving
            name = up
        return name

    def join(self, first: str, *others: str | None) -> None:
        for other in others:
            if other is not None:
                a, b = self.root(first), self.root(other)
                if a != b:
                    self.parent[max(a, b)] = min(a, b)


def _member_rows(tables: Sequence[tuple[str, Path]], members: set[str]) -> list[dict[str, Any]]:
    """Every duplicates row of a member, oldest version first, each in its table's order."""
    if not members:
        return []
    wanted = sorted(members)
    return [
        row
        for _, path in tables
        for row in pq.read_table(path, filters=[("id", "in", wanted)]).to_pylist()
    ]


def _ordered(rows: list[dict[str, Any]], cluster: set[str]) -> list[dict[str, Any]]:
    """The cluster's member rows in drop order, one per id: its first row that holds text
    (a document rebuilt later is dropped again), else its first."""
    chosen: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["id"] in cluster:
            held = chosen.setdefault(row["id"], row)
            if held.get("text") is None and row.get("text") is not None:
                chosen[row["id"]] = row
    return list(chosen.values())


def _eligible(
    row: dict[str, Any],
    excluded: Mapping[str, AbstractSet[str]],
    judge: Judge,
    standing: _Standing,
    result: Replacements,
) -> bool:
    """Whether ``row`` may take a survivor's place; a refusal is counted by its reason."""
    reason = next((why for why, ids in excluded.items() if row["id"] in ids), None)
    if reason is None and row.get("text") is None:
        reason = "no_text"
    if reason is None and judge(_document(row, text=False)) is not None:
        reason = "refused"
    if reason is None:
        reason = standing.refuses(row)
    if reason is not None:
        result.skipped[reason] += 1
    return reason is None


class _Standing:
    """What the dataset says now of a copy, whatever the caller's rule: its standing
    removal requests, its newest site-level captures, licence dates."""

    def __init__(self, parent: VersionView, today: date | None = None) -> None:
        self.withdrawals = withdrawals_of(parent)
        self.withdrawn = Withdrawn(self.withdrawals)
        self.today = today or datetime.now(UTC).date()
        sites = parent.folder / SITES_FILE
        config = parent.manifest.get("config", {})
        self.gate = ConsentGate(
            None,
            crawl_agent=config.get("crawl_agent", CRAWL_TOKEN),
            training_agent=config.get("training_agent", TRAINING_TOKEN),
            sites=SiteSignals.load(sites) if sites.is_file() else None,
        )

    def refuses(self, row: dict[str, Any]) -> str | None:
        doc = row_to_document(_document(row))
        if self.withdrawn.decide(doc) is not None:
            return "requested_out"
        if doc.is_licensed:
            until = row.get("license_valid_until")
            return "licence_expired" if until is not None and until < self.today else None
        return "opted_out" if self.gate.refused_now(doc) is not None else None


def _document(row: dict[str, Any], *, text: bool = True) -> dict[str, Any]:
    return {f.name: row.get(f.name) for f in DOCUMENT_SCHEMA if text or f.name != "text"}


def _replacement(row: dict[str, Any], survivor: str, size: int) -> dict[str, Any]:
    """The member's shard row, provenance unchanged, now in the removed survivor's cluster
    of ``size`` members still eligible (itself included)."""
    return {**_document(row), "dup_cluster_id": survivor, "dup_cluster_size": size}


def _prefer(parent: VersionView) -> tuple[str, ...]:
    """The survivor preference of the newest build in the lineage."""
    for folder in reversed(parent.lineage):
        manifest = parent.manifest if folder == parent.folder else read_manifest(folder)
        dedup = manifest.get("config", {}).get("dedup")
        if isinstance(dedup, dict):
            return tuple(dedup.get("prefer", ()))
    return ()


def _best(rows: list[dict[str, Any]], prefer: Sequence[str]) -> int:
    """The index of the member the build's own survivor choice would keep."""
    n = len(rows)
    ranking = Ranking(
        ids=pa.array([r["id"] for r in rows], pa.string()),
        # The ranking columns as the dedup keys compute them (pipeline/dedup/keys.py).
        licensed=np.array([r["source"] != "web" for r in rows], dtype=bool),
        chars=np.array([len(r["text"]) for r in rows], dtype=np.int64),
        date=np.array([_days(r) for r in rows], dtype=np.int64),
        quality=np.array([_quality(r) for r in rows], dtype=np.float64),
        text_hash=np.zeros(n, dtype=np.uint64),
        url_hash=np.zeros(n, dtype=np.uint64),
    )
    one = np.zeros(n, dtype=np.int64)
    plan = choose_survivors(one, ranking, prefer, np.full(n, -1, dtype=np.int64), [])
    return int(plan.survivor[0])


def _days(row: dict[str, Any]) -> int:
    value: date | datetime | None = row.get("published_at") or row.get("fetched_at")
    if value is None:
        return -(2**31)  # unknown: sorts last, as in the build
    day = value.date() if isinstance(value, datetime) else value
    return (day - date(1970, 1, 1)).days


def _quality(row: dict[str, Any]) -> float:
    score = row.get("language_score")
    return -1.0 if score is None else float(score)
