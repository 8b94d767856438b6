"""What each publisher said at site level, over time: every robots.txt and TDMRep capture.

The newest signal known for a host governs every capture of it. Before stage 1 the build
gathers, from every input at once, each authority's robots.txt fetches (our crawls' robots
logs, and the captures inside any archive) and TDMRep files, canonical authority
(:func:`policies.authority`) as the key, so a capture in one WARC file governs pages in
another and ``http://host:80/`` is ``http://host/``. For one page the consent gate then asks
for the captures that apply to it: the one in force when the page was captured and the
newest one known (plus any undated one); the strictest answer wins.

A capture that cannot be read as what it claims — a revisit whose original is not in the
build, a redirect whose target was never captured, a body cut short — counts as
unreachable, which RFC 9309 §2.3.1.4 reads as "disallow all". For TDMRep, whose spec says
an unreadable file means no statement, it is left out.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import policies
from pipeline.schema import SITE_CAPTURE_SCHEMA

__all__ = ["SITES_FILE", "SiteCapture", "SiteSignals"]

#: Where a version keeps the site-level captures its consent gate used.
SITES_FILE = "consent/sites.parquet"


@dataclass(frozen=True)
class SiteCapture:
    """One site-level fetch as the gate uses it: ``status`` None means unreachable."""

    kind: str  # "robots" or "tdmrep"
    authority: str
    time: datetime | None
    status: int | None
    body: bytes
    source: str  # where it came from: "<file>#<record id>" or "<robots log>"
    note: str = ""  # how it was resolved, or why it counts as unreachable

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest() if self.status is not None else ""

    def robots(self) -> policies.RobotsTxt:
        if self.status is None:
            return policies.RobotsTxt.unreachable()
        return policies.RobotsTxt.parse(self.body, status=self.status)

    def tdmrep(self) -> policies.TdmRepFile | None:
        if self.status is None:
            return None
        return policies.TdmRepFile.parse(self.body, status=self.status)

    @property
    def evidence(self) -> str:
        when = self.time.isoformat(timespec="seconds") if self.time else "undated"
        status = "unreachable" if self.status is None else f"HTTP {self.status}"
        digest = f" sha256 {self.sha256[:16]}" if self.sha256 else ""
        note = f" ({self.note})" if self.note else ""
        return f"{self.kind} of {self.authority} at {when}: {status}{digest}{note}"


class SiteSignals:
    """Every capture of the build, by kind and authority, oldest first."""

    def __init__(self, captures: Iterable[SiteCapture]) -> None:
        self.captures = list(captures)
        self._by_key: dict[tuple[str, str], list[SiteCapture]] = defaultdict(list)
        self._newest: dict[tuple[str, str], list[SiteCapture]] = {}
        for capture in self.captures:
            self._by_key[(capture.kind, capture.authority)].append(capture)

    def __len__(self) -> int:
        return len(self.captures)

    def known(self, kind: str, authority: str) -> bool:
        return (kind, authority) in self._by_key

    def newest(self, kind: str, authority: str) -> list[SiteCapture]:
        """The newest capture(s), plus undated ones (they may be the newest)."""
        key = (kind, authority)
        if key not in self._newest:
            found = self._by_key.get(key, [])
            dated = [c.time for c in found if c.time is not None]
            latest = max(dated) if dated else None
            self._newest[key] = [c for c in found if c.time is None or c.time == latest]
        return self._newest[key]

    def since(self, kind: str, authority: str, at: datetime | None) -> list[SiteCapture]:
        """Every capture that may speak for a page captured at ``at``: the newest ones, and
        each one made after ``at`` (undated ones included). A refusal by any of them stands:
        a publisher who opted out after the page was taken and in again later was still
        heard to say no (and a removal made then lasts)."""
        found = self._by_key.get((kind, authority), [])
        later = [c for c in found if c.time is None or at is None or c.time > at]
        newest = self.newest(kind, authority)
        return [*newest, *(c for c in later if c not in newest)]

    def in_force(self, kind: str, authority: str, at: datetime | None) -> list[SiteCapture]:
        """The capture(s) in force at ``at``: the latest at or before it, else the earliest.

        Ties (several captures with one date) all count, and so do undated captures: when
        the order is unknown, the stricter reading must be able to win.
        """
        found = self._by_key.get((kind, authority), [])
        dated = [c.time for c in found if c.time is not None]
        if not dated:
            return list(found)
        before = [t for t in dated if at is not None and t <= at]
        when = max(before) if before else min(dated)
        return [c for c in found if c.time is None or c.time == when]

    def authorities(self) -> set[str]:
        return {authority for _kind, authority in self._by_key}

    def save(self, path: Path) -> None:
        """Write every capture to ``path`` (Parquet, atomically)."""
        rows = [
            {
                "kind": c.kind,
                "authority": c.authority,
                "time": c.time,
                "status": c.status,
                "sha256": c.sha256 or None,
                "body": c.body,
                "source": c.source,
                "note": c.note,
            }
            for c in self.captures
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        table = pa.Table.from_pylist(rows, schema=SITE_CAPTURE_SCHEMA)
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> SiteSignals:
        """Read what :meth:`save` wrote; once per process while the file is unchanged."""
        stat = path.stat()
        return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=2)
def _load(path: Path, _mtime: int, _size: int) -> SiteSignals:
    rows = pq.read_table(path, schema=SITE_CAPTURE_SCHEMA).to_pylist()
    fields = ("kind", "authority", "time", "status", "body", "source", "note")
    return SiteSignals(SiteCapture(*(row[name] for name in fields)) for row in rows)
