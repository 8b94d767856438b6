"""Recrawls: what earlier runs of a job found, and conditional GETs against it.

Each job keeps ``<output>/<job>/known.sqlite3``: every URL any run accepted,
with the validators (``ETag``, ``Last-Modified``) and WARC record of its last
``200``. A new run of the job starts from all known URLs besides its seeds,
so nothing found before is forgotten; robots.txt is fetched afresh by each run,
so a URL disallowed since is refused. Requests for a known page carry
``If-None-Match`` / ``If-Modified-Since``; a ``304`` is archived as a WARC
``revisit`` record (profile server-not-modified) that refers to the earlier
capture.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["ConditionalGetMiddleware", "Known", "KnownPages", "open_known"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS known (
    key TEXT PRIMARY KEY, url TEXT NOT NULL, depth INTEGER NOT NULL, kind TEXT NOT NULL,
    etag TEXT, last_modified TEXT, record_id TEXT, record_date TEXT);
"""
_OPEN: dict[Path, KnownPages] = {}


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


class KnownPages:
    """The job's known URLs (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")  # as crawler.state: no fsync in the crawl thread
        self.db.executescript(_SCHEMA)

    def add(self, key: str, url: str, depth: int, kind: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO known (key, url, depth, kind) VALUES (?, ?, ?, ?)",
            (key, url, depth, kind),
        )

    def all(self) -> list[Known]:
        rows = self.db.execute(
            "SELECT url, depth, kind, etag, last_modified, record_id, record_date FROM known"
            " ORDER BY rowid"
        )
        return [Known(*row) for row in rows.fetchall()]

    def captured(self, key: str, etag: str | None, modified: str | None, record: Any) -> None:
        """A full ``200`` capture: remember its validators and WARC record."""
        self.db.execute(
            "UPDATE known SET etag = ?, last_modified = ?, record_id = ?, record_date = ?"
            " WHERE key = ?",
            (etag, modified, record[0], record[1], key),
        )


def open_known(job_dir: Path) -> KnownPages:
    path = (job_dir / "known.sqlite3").resolve()
    if path not in _OPEN:
        _OPEN[path] = KnownPages(path)
    return _OPEN[path]


class ConditionalGetMiddleware:
    """Downloader middleware: conditional GETs for known pages; remember fresh captures."""

    def __init__(self, known: KnownPages) -> None:
        self.known = known

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalGetMiddleware:
        run_dir = crawler.settings.get("GLEANER_RUN_DIR")
        if not crawler.settings.getbool("RECRAWL_ENABLED") or not run_dir:
            raise NotConfigured
        return cls(open_known(Path(run_dir).parent))

    def process_request(self, request: Request) -> None:
        known: Known | None = request.meta.get("gleaner_known")
        if known is None or known.record_id is None:
            return None
        if known.etag:
            request.headers[b"If-None-Match"] = known.etag
        if known.last_modified:
            request.headers[b"If-Modified-Since"] = known.last_modified
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        key = request.meta.get("gleaner_key")
        if key is not None and response.status == 200 and request.meta.get("warc_record_id"):
            record = (request.meta["warc_record_id"], request.meta.get("warc_date"))
            etag, modified = (
                (response.headers.get(name) or b"").decode("latin-1") or None
                for name in (b"ETag", b"Last-Modified")
            )
            self.known.captured(key, etag, modified, record)
        return response
