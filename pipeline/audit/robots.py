"""The publisher's robots.txt, fetch by fetch: what each said to our two tokens, and what changed.

The robots logs say when each fetch happened and what came back (status, digest, size,
outcome); the body is re-read from where it was kept — a version's site captures
(``consent/sites.parquet``, by digest) or else the run's WARC record the log row names —
and parsed again with :mod:`policies`, so the audit lists the very group and lines that
applied to the crawl token and to the training token. Consecutive fetches of one authority
are compared: a new digest, a new status, and the rule lines each token gained or lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

from pipeline.audit._duck import Duck
from pipeline.audit.publisher import Publisher
from pipeline.audit.sources import AuditSources
from pipeline.readers.robots import archived_site_files
from policies import RobotsTxt
from record.tokens import CRAWL_TOKEN, TRAINING_TOKEN

__all__ = ["robots_changes", "robots_fetches"]

_LOG_COLUMNS = (
    "authority",
    "time",
    "status",
    "redirects",
    "sha256",
    "size",
    "outcome",
    "error",
    "warc_file",
    "warc_record_id",
)


def robots_fetches(
    duck: Duck, src: AuditSources, who: Publisher, decisions: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Every robots.txt fetch of the publisher in every known run, oldest first, each with
    the rules that applied to the tokens the run used."""
    rows = duck.select(
        src.run_files("robots"), _LOG_COLUMNS, who.authority_condition("authority"), "time"
    )
    bodies = _bodies_from_sites(duck, src, who)
    tokens = _tokens_by_run(decisions)
    for row in rows:
        run = Path(row.pop("filename")).parent.parent
        row["run"] = str(run)
        body, row["body_from"] = _body(row, bodies, run)
        row["rules"] = _rules(row, body, tokens.get(str(run), (CRAWL_TOKEN, TRAINING_TOKEN)))
    return sorted(rows, key=lambda r: (r["time"], r["authority"]))


def robots_changes(fetches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What changed between consecutive fetches of each authority (only fetches that differ)."""
    changes = []
    by_authority: dict[str, list[dict[str, Any]]] = {}
    for fetch in fetches:
        by_authority.setdefault(fetch["authority"], []).append(fetch)
    for authority, series in sorted(by_authority.items()):
        for before, after in pairwise(series):
            change = _change(before, after)
            if change is not None:
                changes.append({"authority": authority, **change})
    return sorted(changes, key=lambda c: (c["to_time"], c["authority"]))


def _change(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any] | None:
    rules = [_rule_diff(a, b) for a, b in zip(before["rules"], after["rules"], strict=False)]
    moved = [r for r in rules if r["added"] or r["removed"] or r["group_changed"]]
    same = before["sha256"] == after["sha256"] and before["status"] == after["status"]
    if same and not moved:
        return None
    return {
        "from_time": before["time"],
        "to_time": after["time"],
        "from_sha256": before["sha256"],
        "to_sha256": after["sha256"],
        "from_status": before["status"],
        "to_status": after["status"],
        "digest_changed": before["sha256"] != after["sha256"],
        "rules": moved,
    }


def _rule_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    # Compared without line numbers: a rule that only moved down the file is not a change.
    old, new = _texts(before["lines"]), _texts(after["lines"])
    return {
        "role": after["role"],
        "token": after["token"],
        "group_changed": before["group"].split(" (line")[0] != after["group"].split(" (line")[0],
        "from_group": before["group"],
        "to_group": after["group"],
        "removed": [line for line in before["lines"] if _text(line) not in new],
        "added": [line for line in after["lines"] if _text(line) not in old],
    }


def _texts(lines: Iterable[str]) -> set[str]:
    return {_text(line) for line in lines}


def _text(line: str) -> str:
    return line.partition(": ")[2] if line.startswith("line ") else line


def _rules(
    row: dict[str, Any], body: bytes | None, tokens: tuple[str, str]
) -> list[dict[str, Any]]:
    robots = _parse(row, body)
    rules = []
    lines: tuple[str, ...]
    for role, token in zip(("crawl", "training"), tokens, strict=True):
        if robots is None:
            group, lines = "body not found in the run's WARC or the dataset", ()
        else:
            applied = robots.applied(token)
            group, lines = applied.group, applied.lines
        rules.append({"role": role, "token": token, "group": group, "lines": list(lines)})
    return rules


def _parse(row: dict[str, Any], body: bytes | None) -> RobotsTxt | None:
    """The robots.txt as the crawler read it: unreachable and given-up fetches by outcome."""
    status, outcome = row["status"], row["outcome"]
    if status is None and outcome == "allow-all":  # gave up after five redirects: a 4xx
        return RobotsTxt("allow-all", status=None, sha256="")
    if status is None or (outcome == "disallow-all" and 200 <= status < 300):
        return RobotsTxt.unreachable()
    if outcome != "parsed":
        return RobotsTxt.parse(b"", status)
    return None if body is None else RobotsTxt.parse(body, status)


def _body(
    row: dict[str, Any], bodies: dict[str, bytes], run: Path
) -> tuple[bytes | None, str | None]:
    if row["outcome"] != "parsed":
        return None, None
    if row["sha256"] in bodies:
        return bodies[row["sha256"]], "dataset"
    warc = run / "warc" / str(row["warc_file"] or "")
    if row["warc_record_id"] and warc.is_file():
        for found in archived_site_files(warc):
            if found.record_id == row["warc_record_id"] and found.problem is None:
                bodies[row["sha256"]] = found.body
                return found.body, "warc"
    return None, None


def _bodies_from_sites(duck: Duck, src: AuditSources, who: Publisher) -> dict[str, bytes]:
    """robots.txt bodies the versions kept (``consent/sites.parquet``), by digest."""
    where = f"kind = 'robots' AND status IS NOT NULL AND {who.authority_condition('authority')}"
    files = src.site_files()
    if not files:
        return {}
    rows = duck.con.execute(
        f"SELECT DISTINCT sha256, body FROM read_parquet({_paths(files)}) WHERE {where}"
    ).fetchall()
    return {str(sha): bytes(body) for sha, body in rows if sha}


def _tokens_by_run(decisions: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """The crawl and training tokens each run used for this publisher (first row's)."""
    found: dict[str, tuple[str, str]] = {}
    for row in decisions:
        if row["crawl_token"] and row["training_token"]:
            found.setdefault(row["run"], (row["crawl_token"], row["training_token"]))
    return found


def _paths(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"
