"""Crash-safe run state: the frontier, the seen-set and a journal of log rows.

One SQLite database per run, ``<run>/state/state.sqlite3``, in WAL mode and
written through (each change commits), so a ``kill -9`` loses nothing that
was recorded. Every URL the spider accepts is a row in ``urls`` (its canonical
key is the seen-set) with a state: ``queued`` when found, ``leased`` when it
reaches the downloader, ``done`` when its callback or errback finished (its
links are in the table by then). Decision and robots rows wait in ``journal``
until their Parquet part is written. A resumed run re-queues every row that is
not done (a lease from a dead process has expired by definition) and turns the
journal into a recovered part, leaving out the rows of URLs about to be
fetched again, so each page keeps one row, and the rows a part written just
before the kill already holds (``flushing`` names it).
"""

from __future__ import annotations

import pickle
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Pending", "RunState", "open_state"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL, url TEXT NOT NULL,
    authority TEXT NOT NULL, depth INTEGER NOT NULL, kind TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued', leased_at REAL);
CREATE INDEX IF NOT EXISTS urls_state ON urls (state);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY, log TEXT NOT NULL, url TEXT NOT NULL, row BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS flushing (
    log TEXT PRIMARY KEY, part TEXT NOT NULL, upto INTEGER NOT NULL);
"""

_OPEN: dict[Path, RunState] = {}


@dataclass(frozen=True)
class Pending:
    """A URL to (re)fetch on resume."""

    id: int
    url: str
    depth: int
    kind: str  # "page" or "sitemap"


class RunState:
    """The run's state database (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        # No fsync, ever: the crawl thread must not wait on the disk. A killed process loses
        # nothing (the OS has every write); a power cut may lose the newest rows.
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.executescript(_SCHEMA)

    def add(self, key: str, url: str, authority: str, depth: int, kind: str) -> int | None:
        """Record a newly accepted URL; None when its key was already seen."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO urls (key, url, authority, depth, kind) VALUES (?, ?, ?, ?, ?)",
            (key, url, authority, depth, kind),
        )
        return cur.lastrowid if cur.rowcount else None

    def lease(self, url_id: int) -> None:
        self.db.execute(
            "UPDATE urls SET state = 'leased', leased_at = ? WHERE id = ? AND state != 'done'",
            (time.time(), url_id),
        )

    def done(self, url_id: int) -> None:
        self.db.execute("UPDATE urls SET state = 'done' WHERE id = ?", (url_id,))

    def pending(self) -> list[Pending]:
        rows = self.db.execute(
            "SELECT id, url, depth, kind FROM urls WHERE state != 'done' ORDER BY id"
        ).fetchall()
        return [Pending(*row) for row in rows]

    def seen_keys(self) -> Iterator[str]:
        for (key,) in self.db.execute("SELECT key FROM urls"):
            yield key

    def per_authority(self) -> dict[str, int]:
        rows = self.db.execute("SELECT authority, count(*) FROM urls GROUP BY authority")
        return dict(rows.fetchall())

    def urls(self) -> Iterator[str]:
        for (url,) in self.db.execute("SELECT url FROM urls"):
            yield url

    def journal(self, log: str, row: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO journal (log, url, row) VALUES (?, ?, ?)",
            (log, str(row.get("url") or row.get("authority") or ""), pickle.dumps(row)),
        )

    def begin_flush(self, log: str, part: str) -> None:
        """The log's journalled rows are about to become the Parquet part named ``part``.

        A process killed after the part is in place but before :meth:`forget_journal`
        would otherwise leave the rows both in the part and in the journal, and the next
        process to recover the journal would write them twice."""
        self.db.execute(
            "INSERT OR REPLACE INTO flushing (log, part, upto) "
            "SELECT ?, ?, coalesce(max(id), 0) FROM journal WHERE log = ?",
            (log, part, log),
        )

    def forget_journal(self, log: str) -> None:
        """The log's rows are in a Parquet part now."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM journal WHERE log = ?", (log,))
            self.db.execute("DELETE FROM flushing WHERE log = ?", (log,))

    def recover_journal(self, log: str, folder: Path | None = None) -> list[dict[str, Any]]:
        """Rows a killed process journalled but never wrote, minus those of URLs not done
        (about to be fetched again, so each page keeps one row) and minus those a part in
        ``folder`` already holds (the process died right after writing it).

        The rows returned stay journalled until the part holding them is written
        (:meth:`forget_journal`), so a kill during the recovery itself loses none."""
        flushed = self.db.execute(
            "SELECT part, upto FROM flushing WHERE log = ?", (log,)
        ).fetchone()
        with self.db:
            self.db.execute("BEGIN")
            if flushed and folder is not None and (folder / flushed[0]).exists():
                self.db.execute("DELETE FROM journal WHERE log = ? AND id <= ?", (log, flushed[1]))
            self.db.execute("DELETE FROM flushing WHERE log = ?", (log,))
            redo = {p.url for p in self.pending()}
            rows = self.db.execute(
                "SELECT id, url, row FROM journal WHERE log = ? ORDER BY id", (log,)
            ).fetchall()
            stale = [(row_id,) for row_id, url, _ in rows if url in redo]
            self.db.executemany("DELETE FROM journal WHERE id = ?", stale)
        return [pickle.loads(blob) for _, url, blob in rows if url not in redo]

    def close(self) -> None:
        self.db.close()
        _OPEN.pop(self.path, None)


def open_state(run_dir: Path, worker: str | None = None) -> RunState:
    """The run's state, shared by the spider and the logs of one process.

    One of a frontier's workers keeps only its log journal here, in a file of its own.
    """
    path = (run_dir / "state" / f"{worker or 'state'}.sqlite3").resolve()
    state = _OPEN.get(path)
    if state is None:
        state = _OPEN[path] = RunState(path)
    return state
