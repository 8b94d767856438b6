"""The text form of a publisher audit: sections with counts and the rows that matter.

Long sections show their first rows and say how many more there are; ``--format json``
holds every row. Each fact a publisher asks about (the robots.txt digest and the lines
each token obeyed, a refusal's signal and rule, a document's admitting decision) is on
its own line, so the report can be read and searched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from rich.console import Console
from rich.text import Text

from pipeline.audit import PublisherAudit, refused, refused_why

__all__ = ["print_audit"]

#: Rows shown per section before "... and N more".
SHOWN = 10


def print_audit(audit: PublisherAudit, to: Console) -> None:
    """Print ``audit`` for people; headings bold when ``to`` is a terminal."""
    for line in _lines(audit):
        to.print(line, soft_wrap=True)


def _lines(audit: PublisherAudit) -> Iterator[Text]:
    who = " ".join(f"{kind} {value}" for kind, value in audit.publisher.items())
    yield _heading(f"Audit of {who} in {audit.dataset}, version {audit.version}")
    if audit.empty:
        yield Text(f"no record of {next(iter(audit.publisher.values()))} in {audit.dataset}")
        yield Text("(no robots.txt fetch, decision, document, duplicate, removal or exclusion)")
        return
    yield from _summary(audit)
    for section in (_versions, _robots, _changes, _refusals, _documents, _duplicates):
        yield from section(audit)
    yield from _removals(audit)
    yield from _exclusions(audit)


def _heading(text: str) -> Text:
    return Text(text, style="bold")


def _section(title: str, count: int) -> Iterator[Text]:
    yield Text("")
    yield _heading(f"{title} ({count})")


def _summary(audit: PublisherAudit) -> Iterator[Text]:
    s = audit.summary()
    yield Text(f"crawl runs: {len(audit.crawl_runs)}; versions: {len(audit.versions)}")
    yield Text(
        f"URLs considered: {s['urls_considered']}; refused before fetch: "
        f"{s['refused_before_fetch']}; opted out of training: {s['opted_out_of_training']}; "
        f"left out: {s['left_out']}; cleared for training: {s['cleared_for_training']}"
    )
    yield Text(
        f"documents in {audit.version}: {s['documents_in_version']} ({s['documents_ever']} "
        f"in any version); dropped as duplicates: {s['duplicates']}; removed: "
        f"{s['removals']}; left out by the build: {s['exclusions']}"
    )


def _versions(audit: PublisherAudit) -> Iterator[Text]:
    yield from _section("Versions", len(audit.versions))
    for v in audit.versions:
        yield Text(
            f"  {v['version']}  {v['kind']}  {v['created'] or ''}  {v['documents']} documents "
            f"(+{v['added']} added, -{v['removed']} removed)"
        )


def _robots(audit: PublisherAudit) -> Iterator[Text]:
    yield from _section("robots.txt fetches", len(audit.robots_fetches))
    for f in _first(audit.robots_fetches):
        status = "no response" if f["status"] is None else f"HTTP {f['status']}"
        yield Text(
            f"  {f['time']}  {f['authority']}  {status}  {f['outcome']}  {f['size'] or 0} bytes"
            f"  sha256 {f['sha256'] or '-'}"
        )
        yield Text(f"    run {f['run']}" + (f"; error: {f['error']}" if f["error"] else ""))
        for rule in f["rules"]:
            yield Text(f"    {rule['role']} token {rule['token']}: {rule['group']}")
            yield from (Text(f"      {line}") for line in rule["lines"])
    yield from _more(audit.robots_fetches)


def _changes(audit: PublisherAudit) -> Iterator[Text]:
    yield from _section("robots.txt changes", len(audit.robots_changes))
    for c in _first(audit.robots_changes):
        yield Text(
            f"  {c['to_time']}  {c['authority']}  sha256 {c['from_sha256'] or '-'} -> "
            f"{c['to_sha256'] or '-'}  (status {c['from_status']} -> {c['to_status']})"
        )
        for rule in c["rules"]:
            yield Text(f"    {rule['role']} token {rule['token']}: {rule['to_group']}")
            yield from (Text(f"      - {line}") for line in rule["removed"])
            yield from (Text(f"      + {line}") for line in rule["added"])
    yield from _more(audit.robots_changes)


def _refusals(audit: PublisherAudit) -> Iterator[Text]:
    rows = refused(audit.decisions)
    yield from _section("URLs refused or left out", len(rows))
    yield from _counts(audit.refusals_by_signal())
    for r in _first(rows):
        yield Text(f"  {r['url']}  [{r['stage']}] {refused_why(r)}: {r['rule'] or ''}")
        if r["evidence"]:
            yield Text(f"    evidence: {r['evidence']}")
    yield from _more(rows)


def _documents(audit: PublisherAudit) -> Iterator[Text]:
    yield from _section("Documents in any version", len(audit.documents))
    for d in _first(audit.documents):
        yield Text(f"  {d['id']}  {d['url']}  in {', '.join(d['versions'])}")
        decision = d["admitted_by"]
        if decision is None:
            yield Text("    admitting decision: not found in the decision logs")
        else:
            yield Text(
                f"    admitted {decision['time']} ({decision['training_signal']}; robots.txt "
                f"sha256 {decision['robots_sha256'] or '-'}; signals seen: "
                f"{', '.join(decision['signals_seen'] or []) or 'none'})"
            )
    yield from _more(audit.documents)


def _duplicates(audit: PublisherAudit) -> Iterator[Text]:
    yield from _section("Dropped as duplicates", len(audit.duplicates))
    for d in _first(audit.duplicates):
        yield Text(
            f"  {d['url']}  {d['reason']} of {d['dedup_matched_id']} "
            f"({d['matched_url'] or 'unknown'}, {d['dedup_matched_version']})"
        )
    yield from _more(audit.duplicates)


def _removals(audit: PublisherAudit) -> Iterator[Text]:
    yield from _section("Removals", len(audit.removals))
    for r in _first(audit.removals):
        yield Text(
            f"  {r['version']}  {r['url'] or r['id']}  {r['reason']}"
            f"  (from {r['removed_from']}, {r['request'] or 'request unknown'}, {r['removed_at']})"
        )
        detail = [f"{k}: {r[k]}" for k in ("deciding_signal", "rule", "evidence", "note") if r[k]]
        if detail:
            yield Text("    " + "; ".join(detail))
    yield from _more(audit.removals)


def _exclusions(audit: PublisherAudit) -> Iterator[Text]:
    yield from _section("Left out by the build", len(audit.exclusions))
    yield from _counts(Counter(f"{e['step']}/{e['reason']}" for e in audit.exclusions))
    for e in _first(audit.exclusions):
        yield Text(f"  {e['version']}  {e['url']}  {e['step']}: {e['reason']}")
    yield from _more(audit.exclusions)


def _counts(counts: dict[str, int] | Counter[str]) -> Iterator[Text]:
    for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        yield Text(f"  {count:>6}  {name}")


def _first(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(rows)[:SHOWN]


def _more(rows: list[dict[str, Any]]) -> Iterator[Text]:
    if len(rows) > SHOWN:
        yield Text(f"  ... and {len(rows) - SHOWN} more (--format json lists every row)")
