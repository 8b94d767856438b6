"""The job's known URLs: written apart by every crawl process, merged when a run starts.

A recrawl starts from every URL the job's earlier runs took, each with the validators
(``ETag``, ``Last-Modified``) and WARC record of its last ``200`` (:mod:`crawler.recrawl`).
No two processes ever write one file, so that workers on several machines may share the
output folder over a network mount, where SQLite's locks cannot be trusted:

``<run>/known/<worker>.sqlite3``
    what one process of the run took and captured (``local`` on one machine, ``w002``
    for a shared frontier's worker); only that process writes it.
``<run>/known/base.sqlite3``
    everything known before the run: merged once, at its start, by the one process that
    seeds the run, from the newest earlier base and the worker files of every run since
    (and a job folder's ``known.sqlite3`` of older versions). It is written under a
    temporary name and renamed, so it is complete whenever it exists; the base it
    superseded is deleted (worker files stay: each run's record of what it took).

Where two files know a URL, the newest capture wins (the ``WARC-Date`` of its record);
a run's own files are never read while it writes them.
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "LOCAL",
    "Known",
    "KnownPages",
    "base_path",
    "known_base",
    "look_up",
    "open_known",
    "read_known",
]

#: The worker name of a one-machine run's file.
LOCAL = "local"

_FOLDER = "known"
_BASE = "base.sqlite3"
_LEGACY = "known.sqlite3"  # one file per job, beside its runs, before runs kept their own
_COLUMNS = "key, url, depth, kind, etag, last_modified, record_id, record_date"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS known (
    key TEXT PRIMARY KEY, url TEXT NOT NULL, depth INTEGER NOT NULL, kind TEXT NOT NULL,
    etag TEXT, last_modified TEXT, record_id TEXT, record_date TEXT);
"""
# A capture replaces what a key had when it is at least as new (sources are merged oldest
# first, so of two captures of one moment the later source's wins). WARC dates drop the
# fraction when it is zero, so they are compared as times, not as strings.
_NEWER = (
    "excluded.record_id IS NOT NULL AND (known.record_id IS NULL OR"
    " julianday(rtrim(excluded.record_date, 'Z')) >= julianday(rtrim(known.record_date, 'Z')))"
)
_TAKE_NEWER = ", ".join(
    f"{column} = iif({_NEWER}, excluded.{column}, known.{column})"
    for column in ("etag", "last_modified", "record_date", "record_id")
)
_MERGE = f"""
INSERT INTO known ({_COLUMNS}) SELECT {_COLUMNS} FROM src.known WHERE true ORDER BY rowid
ON CONFLICT (key) DO UPDATE SET depth = min(known.depth, excluded.depth), {_TAKE_NEWER}
"""
_CAPTURED = f"""
INSERT INTO known ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET {_TAKE_NEWER}
"""
_OPEN: dict[Path, KnownPages] = {}
_BASES: dict[Path, sqlite3.Connection] = {}
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Known:
    """One known URL and what its last full capture said."""

    url: str
    depth: int
    kind: str
    etag: str | None = None
    last_modified: str | None = None
    record_id: str | None = None
    record_date: str | None = None

    def validators(self) -> dict[str, str | None]:
        """What a request for it carries (JSON, so a shared frontier can keep it)."""
        return {
            "etag": self.etag,
            "last_modified": self.last_modified,
            "record_id": self.record_id,
            "record_date": self.record_date,
        }


class KnownPages:
    """One process's file of what it took and captured (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # One writer, ever: no shared-memory index (WAL's -shm), nothing for others to lock.
        self.db.execute("PRAGMA locking_mode=EXCLUSIVE")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")  # as crawler.state: no fsync in the crawl thread
        self.db.executescript(_SCHEMA)

    def add(self, key: str, url: str, depth: int, kind: str) -> None:
        """A URL this process took (its first depth and kind stay)."""
        self.db.execute(
            "INSERT OR IGNORE INTO known (key, url, depth, kind) VALUES (?, ?, ?, ?)",
            (key, url, depth, kind),
        )

    def captured(self, key: str, taken: Known) -> None:
        """A full ``200`` capture of the URL with ``key``: its validators and WARC record."""
        row = (key, taken.url, taken.depth, taken.kind, *taken.validators().values())
        self.db.execute(_CAPTURED, row)

    def close(self) -> None:
        """Release the file (its writer holds it locked while open)."""
        _OPEN.pop(self.path, None)
        self.db.close()


def open_known(run_dir: Path, worker: str | None) -> KnownPages:
    """This process's file in ``run_dir`` (one per path and process)."""
    path = (run_dir / _FOLDER / f"{worker or LOCAL}.sqlite3").resolve()
    if path not in _OPEN:
        _OPEN[path] = KnownPages(path)
    return _OPEN[path]


def base_path(run_dir: Path) -> Path:
    """Where the run's base is (made at its start)."""
    return run_dir / _FOLDER / _BASE


def known_base(run_dir: Path) -> Path:
    """The run's ``base.sqlite3``: made now from the earlier runs, unless it exists."""
    base = base_path(run_dir)
    if base.exists():
        return base  # a resumed run: seeded from the same base as before
    base.parent.mkdir(parents=True, exist_ok=True)
    older, sources = _sources(run_dir)
    partial = base.with_name(f"{_BASE}.{socket.gethostname()}-{os.getpid()}.part")  # one each
    _merge(partial, sources)
    os.replace(partial, base)
    if older is not None:
        older.unlink(missing_ok=True)  # superseded: everything in it is in ours
    return base


def look_up(base: Path, key: str) -> Known | None:
    """What the run's base knows of ``key``, or None (no such URL, or no base here)."""
    if not base.exists():
        return None
    if base not in _BASES:  # never written again once renamed into place: no locks needed
        _BASES[base] = sqlite3.connect(f"file:{base}?immutable=1", uri=True)
    row = _BASES[base].execute(f"SELECT {_COLUMNS} FROM known WHERE key = ?", (key,)).fetchone()
    return Known(*row[1:]) if row else None


def read_known(base: Path) -> Iterator[Known]:
    """The URLs of a base, in the order they were first found."""
    db = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
    try:
        rows = db.execute(f"SELECT {_COLUMNS} FROM known ORDER BY rowid")
        for row in rows:
            yield Known(*row[1:])
    finally:
        db.close()


def _sources(run_dir: Path) -> tuple[Path | None, list[Path]]:
    """The newest earlier base (None when none) and every file to merge, oldest first."""
    job_dir, files = run_dir.parent, list[Path]()
    earlier = sorted(p for p in job_dir.iterdir() if p.is_dir() and p.name < run_dir.name)
    for run in reversed(earlier):
        folder = run / _FOLDER
        files[:0] = sorted(p for p in folder.glob("*.sqlite3") if p.name != _BASE)
        if (folder / _BASE).exists():
            return folder / _BASE, [folder / _BASE, *files]
    legacy = job_dir / _LEGACY
    return None, [legacy, *files] if legacy.exists() else files


def _merge(target: Path, sources: list[Path]) -> None:
    target.unlink(missing_ok=True)
    db = sqlite3.connect(target, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=OFF")  # a temporary file: made again if cut short
        db.executescript(_SCHEMA)
        for source in sources:
            _merge_one(db, source)
    finally:
        db.close()


def _merge_one(db: sqlite3.Connection, source: Path) -> None:
    # A file its writer still holds (a stalled worker) or a crash cut short is one
    # process's loss, not the run's: warn, and merge the others.
    try:
        db.execute("ATTACH DATABASE ? AS src", (str(source),))
    except sqlite3.DatabaseError as exc:
        log.warning("known URLs: %s left out: %s", source, exc)
        return
    try:
        db.execute(_MERGE)
    except sqlite3.DatabaseError as exc:
        log.warning("known URLs: %s left out: %s", source, exc)
    finally:
        db.execute("DETACH DATABASE src")
