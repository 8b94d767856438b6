"""The HTML form of a publisher audit: one self-contained page (``--format html``).

Rendered from the audit's JSON form (``docs/audit.md``), with :mod:`gleaner.report`: a
timeline of the robots.txt fetches (a changed digest is marked), what was taken and removed
per version, the refusals by signal, then the rows of each section as tables. Tables stop
after ``ROWS`` rows and say so; ``--format json`` holds every row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from gleaner.report import Html, Page, bar_chart, facts, grouped_bars, note, table, timeline
from pipeline.audit import refused, refused_why

__all__ = ["ROWS", "audit_page"]

#: Rows per table before "N more".
ROWS = 500


def audit_page(data: dict[str, Any]) -> Page:
    """The page for one audit, given as its JSON form (``PublisherAudit.as_dict()``)."""
    [(kind, who)] = data["publisher"].items()
    page = Page(f"Audit of {kind} {who}", subtitle=f"{data['dataset']}, version {data['version']}")
    if data["empty"]:
        return page.section("Summary", f"no record of {who} in {data['dataset']}")
    page.section("Summary", facts((k.replace("_", " "), v) for k, v in data["summary"].items()))
    page.section("robots.txt over time", *_robots(data))
    page.section("Taken and removed, per version", *_versions(data))
    page.section("URLs refused or left out", *_refusals(data))
    page.section("Documents", *_documents(data))
    page.section("Dropped as duplicates", *_duplicates(data))
    page.section("Removals", *_removals(data))
    page.section("Left out by the build", *_exclusions(data))
    return page


def _robots(data: dict[str, Any]) -> list[Html]:
    fetches = data["robots_fetches"]
    seen: dict[str, str | None] = {}
    labels = []
    for f in fetches:
        changed = f["authority"] in seen and seen[f["authority"]] != f["sha256"]
        seen[f["authority"]] = f["sha256"]
        labels.append(f"{(f['sha256'] or 'no body')[:8]}{' (changed)' if changed else ''}")
    plot = timeline(
        [datetime.fromisoformat(f["time"]) for f in fetches],
        labels,
        lanes=[f"{f['authority']} {f['status'] or 'no response'}" for f in fetches],
        title="robots.txt fetches (digest; changes marked)",
    )
    rows = [
        (f["time"], f["authority"], f["status"], f["outcome"], f["size"], f["sha256"])
        for f in fetches
    ]
    columns = ["time", "authority", "status", "outcome", "bytes", "sha256"]
    rules = [
        (f["time"], f["authority"], f"{r['role']}: {r['token']}", r["group"], "; ".join(r["lines"]))
        for f in fetches
        for r in f["rules"]
    ]
    rule_columns = ["time", "authority", "token", "group it obeys", "lines"]
    changes = [
        (c["to_time"], c["authority"], f"{c['from_sha256']} -> {c['to_sha256']}", _diff(c))
        for c in data["robots_changes"]
    ]
    return [
        plot,
        _table(columns, rows, "Fetches"),
        _table(rule_columns, rules, "The rules each fetch gave our two tokens"),
        _table(["time", "authority", "digest", "rule changes"], changes, "Changes between fetches"),
    ]


def _diff(change: dict[str, Any]) -> str:
    lines = []
    for rule in change["rules"]:
        lines += [f"{rule['token']}: - {line}" for line in rule["removed"]]
        lines += [f"{rule['token']}: + {line}" for line in rule["added"]]
    return "; ".join(lines) or "(same rules)"


def _versions(data: dict[str, Any]) -> list[Html]:
    versions = data["versions"]
    series = {k: [v[k] for v in versions] for k in ("documents", "added", "removed")}
    plot = grouped_bars([v["version"] for v in versions], series, title="Documents per version")
    rows = [
        (v["version"], v["kind"], v["created"], v["documents"], v["added"], v["removed"])
        for v in versions
    ]
    columns = ["version", "kind", "created", "documents", "added", "removed"]
    return [plot, _table(columns, rows)]


def _refusals(data: dict[str, Any]) -> list[Html]:
    counts = data["refusals_by_signal"]
    plot = bar_chart(list(counts), list(counts.values()), title="Refusals by signal", xlabel="rows")
    columns = ["time", "url", "stage", "signal", "rule", "evidence"]
    rows = [
        (r["time"], r["url"], r["stage"], refused_why(r), r["rule"], r["evidence"])
        for r in refused(data["decisions"])
    ]
    return [plot, _table(columns, rows)]


def _documents(data: dict[str, Any]) -> list[Html]:
    rows = []
    for d in data["documents"]:
        admitted = d["admitted_by"] or {}
        rows.append(
            (
                d["id"],
                d["url"],
                ", ".join(d["versions"]),
                admitted.get("time", "not found"),
                admitted.get("training_signal"),
                d["robots_sha256"],
            )
        )
    columns = ["id", "url", "versions", "admitted", "training signal", "robots.txt sha256"]
    return [_table(columns, rows)]


def _duplicates(data: dict[str, Any]) -> list[Html]:
    columns = ["version", "url", "reason", "matched id", "matched", "matched in"]
    rows = [
        (
            d["version"],
            d["url"],
            d["reason"],
            d["dedup_matched_id"],
            d["matched_url"],
            d["dedup_matched_version"],
        )
        for d in data["duplicates"]
    ]
    return [_table(columns, rows)]


def _removals(data: dict[str, Any]) -> list[Html]:
    columns = ["version", "url", "reason", "signal", "rule", "evidence", "request", "removed at"]
    keys = (
        "version",
        "url",
        "reason",
        "deciding_signal",
        "rule",
        "evidence",
        "request",
        "removed_at",
    )
    return [_table(columns, [tuple(r[k] for k in keys) for r in data["removals"]])]


def _exclusions(data: dict[str, Any]) -> list[Html]:
    rows = [(e["version"], e["url"], e["step"], e["reason"]) for e in data["exclusions"]]
    return [_table(["version", "url", "step", "reason"], rows)]


def _table(columns: list[str], rows: list[tuple[Any, ...]], caption: str | None = None) -> Html:
    shown = table(columns, rows[:ROWS], caption=caption)
    if len(rows) <= ROWS:
        return shown
    return Html(shown + note(f"... and {len(rows) - ROWS} more (--format json lists every row)"))
