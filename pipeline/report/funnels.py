"""The funnels: consent (the decision logs), filters (step counters), dedup (duplicates).

Consent uses the decision log's vocabulary (docs/decisions.md): at the ``robots`` stage a
refusal is the publisher's robots.txt for our crawl token (``deciding_signal``) or one of our
own refusals (``outcome``); at the ``page`` stage ``NOT may_train`` is a publisher's opt-out
by the signal that decided, and ``may_train IS NULL`` a page not read (a fetch outcome).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.report._query import Files

__all__ = [
    "ConsentFunnel",
    "FilterStep",
    "Tally",
    "consent_funnel",
    "dedup_tallies",
    "filter_steps",
]

#: ``(label, count)``.
Tally = tuple[str, int]


@dataclass(frozen=True)
class ConsentFunnel:
    considered: int
    refused: tuple[Tally, ...]  # before fetch, by robots.txt rule or our own refusal
    fetched: int
    opted_out: tuple[Tally, ...]  # fetched, kept out of training, by deciding signal
    cleared: int
    not_read: tuple[Tally, ...]  # fetched, not read (a fetch or scope outcome)
    #: ``(host, considered, refused, fetched, opted out, cleared)`` per publisher.
    hosts: tuple[tuple[str, int, int, int, int, int], ...]


@dataclass(frozen=True)
class FilterStep:
    """One pipeline step over every build of the lineage: what came in, what it dropped."""

    step: str
    total: int
    kept: int
    dropped: tuple[Tally, ...]


_ROBOTS = "FROM {decisions} WHERE stage = 'robots'"
_PAGES = "FROM {decisions} WHERE stage = 'page'"
_HOSTS = (
    "SELECT host, count(*) FILTER (stage = 'robots'), "
    "count(*) FILTER (stage = 'robots' AND NOT may_fetch), count(*) FILTER (stage = 'page'), "
    "count(*) FILTER (stage = 'page' AND NOT may_train), "
    "count(*) FILTER (stage = 'page' AND may_train) "
    "FROM {decisions} GROUP BY host ORDER BY 2 DESC, host"
)


def consent_funnel(files: Files) -> ConsentFunnel:
    return ConsentFunnel(
        considered=_count(files, f"SELECT count(*) {_ROBOTS}"),
        refused=_tallies(
            files,
            "SELECT coalesce(outcome, deciding_signal, '?') || coalesce(': ' || rule, '') "
            f"AS why, count(*) AS n {_ROBOTS} AND NOT may_fetch GROUP BY why",
        ),
        fetched=_count(files, f"SELECT count(*) {_PAGES}"),
        opted_out=_tallies(
            files,
            "SELECT coalesce(deciding_signal, '?') AS why, count(*) AS n "
            f"{_PAGES} AND NOT may_train GROUP BY why",
        ),
        cleared=_count(files, f"SELECT count(*) {_PAGES} AND may_train"),
        not_read=_tallies(
            files,
            f"SELECT coalesce(outcome, '?') AS why, count(*) AS n {_PAGES} "
            "AND may_train IS NULL GROUP BY why",
        ),
        hosts=tuple(
            (str(h), int(a), int(b), int(c), int(d), int(e))
            for h, a, b, c, d, e in files.rows(_HOSTS)
        ),
    )


_STEPS = (
    "SELECT step, counter, sum(value) AS value, min(version) AS first FROM {stats} "
    "GROUP BY step, counter ORDER BY first, step, counter"
)


def filter_steps(files: Files) -> tuple[FilterStep, ...]:
    """Every step's counters summed over the lineage's builds, in the order steps ran."""
    counters: dict[str, dict[str, int]] = {}
    for step, counter, value, _ in files.rows(_STEPS):
        counters.setdefault(str(step), {})[str(counter)] = int(value)
    ordered = sorted(counters, key=_step_order)
    return tuple(_step(name, counters[name]) for name in ordered)


# The build's order (pipeline/flow.py): readers, the consent gate and extraction (web pages
# only), then the filters, PII and dedup (every document).
_ORDER = (
    "read",
    "consent",
    "extract",
    "language",
    "repetition",
    "quality",
    "c4",
    "fineweb",
    "pii",
    "dedup",
)


def _step_order(step: str) -> int:
    for i, prefix in enumerate(_ORDER):
        if step.startswith(prefix):
            return i
    return len(_ORDER)


def _step(name: str, counters: dict[str, int]) -> FilterStep:
    dropped = sorted(
        ((c.removeprefix("dropped/"), v) for c, v in counters.items() if c.startswith("dropped/")),
        key=lambda t: (-t[1], t[0]),
    )
    return FilterStep(name, counters.get("total", 0), counters.get("kept", 0), tuple(dropped))


def dedup_tallies(files: Files) -> tuple[tuple[str, str, str, int], ...]:
    """``(version, reason, matched in version, documents)`` of every duplicate dropped."""
    rows = files.rows(
        "SELECT version, reason, dedup_matched_version, count(*) FROM {duplicates} "
        "GROUP BY ALL ORDER BY 1, 4 DESC, 2, 3"
    )
    return tuple((str(v), str(r), str(m), int(n)) for v, r, m, n in rows)


def _count(files: Files, sql: str) -> int:
    rows = files.rows(sql)
    return int(rows[0][0] or 0) if rows else 0


def _tallies(files: Files, sql: str) -> tuple[Tally, ...]:
    return tuple((str(k), int(n)) for k, n in files.rows(sql + " ORDER BY n DESC, why"))
