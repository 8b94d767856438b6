"""The publisher's robots.txt, fetch by fetch: what each said to our two tokens, and what changed.

The robots logs say when each fetch happened and what came back (status, digest, size,
outcome); the body is re-read from where it was kept — a version's site captures
(``consent/sites.parquet``, by digest) or else the run's WARC record the log row names —
and parsed again with :mod:`policies`, so the audit lists the very group and lines that
applied to the crawl token and to the training token. Consecutive fetches of one authority
are compared in :mod:`pipeline.audit.changes`.

A dataset built from others' archives has no robots log: the captures its versions kept
(``consent/sites.parquet``) that no log row accounts for are listed too, ``run`` null and
``source`` naming the archive record.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.audit._duck import Duck
from pipeline.audit.publisher import Publisher
from pipeline.audit.sources import AuditSources
from pipeline.readers.robots import archived_site_files
from policies import RobotsTxt
from policies.robots import outcome_for_status
from record.tokens import CRAWL_TOKEN, TRAINING_TOKEN

__all__ = ["robots_fetches"]

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
    captures = _site_captures(duck, src, who)
    bodies = {c["sha256"]: c.pop("body") for c in captures if c["sha256"]}
    tokens = _tokens_by_run(decisions)
    for row in rows:
        run = Path(row.pop("filename")).parent.parent
        row["run"], row["source"] = str(run), "robots log"
        body, row["body_from"] = _body(row, bodies, run)
        row["rules"] = _rules(row, body, tokens.get(str(run), (CRAWL_TOKEN, TRAINING_TOKEN)))
    logged = {(r["authority"], r["time"]) for r in rows}
    for capture in captures:
        if (capture["authority"], capture["time"]) not in logged:
            body = bodies.get(capture["sha256"])
            rows.append(_unlogged(capture, body, (CRAWL_TOKEN, TRAINING_TOKEN)))
    return sorted(rows, key=lambda r: (r["time"], r["authority"]))


def _unlogged(
    capture: dict[str, Any], body: bytes | None, tokens: tuple[str, str]
) -> dict[str, Any]:
    """A capture from someone else's archive, shaped like a robots log row."""
    status = capture["status"]
    outcome = "disallow-all" if status is None else outcome_for_status(status)
    row = {
        "authority": capture["authority"],
        "time": capture["time"],
        "status": status,
        "redirects": [],
        "sha256": capture["sha256"] or None,
        "size": None if body is None else len(body),
        "outcome": outcome,
        "error": capture["note"] or None,
        "warc_file": None,
        "warc_record_id": None,
        "run": None,
        "source": capture["source"],
        "body_from": "dataset" if body is not None and status is not None else None,
    }
    row["rules"] = _rules(row, body, tokens)
    return row


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


def _site_captures(duck: Duck, src: AuditSources, who: Publisher) -> list[dict[str, Any]]:
    """The robots.txt captures the versions kept (``consent/sites.parquet``), each once."""
    files = src.site_files()
    if not files:
        return []
    where = f"kind = 'robots' AND {who.authority_condition('authority')}"
    columns = "authority, time, status, sha256, body, source, note"
    return duck.rows(f"SELECT DISTINCT {columns} FROM read_parquet({_paths(files)}) WHERE {where}")


def _tokens_by_run(decisions: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """The crawl and training tokens each run used for this publisher (first row's)."""
    found: dict[str, tuple[str, str]] = {}
    for row in decisions:
        if row["crawl_token"] and row["training_token"]:
            found.setdefault(row["run"], (row["crawl_token"], row["training_token"]))
    return found


def _paths(paths: list[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"
