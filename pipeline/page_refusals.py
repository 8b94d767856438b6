"""The latest word, page by page: a capture of a URL that refuses training reaches older ones.

Site-level signals (robots.txt, TDMRep) of a host's newest capture govern every page of
it (:mod:`pipeline.sites`). A page's own signals (``X-Robots-Tag``, ``<meta name=robots>``,
TDMRep headers and links) speak for that page: when one capture of a URL refuses
training, every capture of the same URL made at the same time or before it is refused
too (``opt_out_newer/<signal>``), as a recrawl's ``304`` that now says ``noai`` refuses
the page taken in the run before. A newer "yes" never loosens an older "no". A capture
whose signals could not be read in full refuses only itself: that is no opt-out.

Stage 0 gathers the refusals once for the whole build:

- our crawls: every ``page`` row of their decision logs that refused training (the
  crawler read the headers and the whole page when it fetched it);
- archives made by others: each URL captured more than once in the build (only those
  have another capture to reach) is judged again from each capture's headers and page,
  page signals only, as the consent gate judges it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import policies
from pipeline.readers import decode_html
from pipeline.readers._body import BodyError, decode_body
from pipeline.readers._records import read_record_at
from pipeline.readers._revisits import BuildOriginals
from pipeline.readers.robots import warc_date
from pipeline.urls import page_key
from policies.verdict import DISALLOWED

__all__ = ["PAGE_REFUSALS_FILE", "PageRefusal", "PageRefusals", "gather_page_refusals"]

#: The build's page-level refusals, in the staging folder (read by every stage-1 unit).
PAGE_REFUSALS_FILE = "work/page_refusals.parquet"
_MAX_BODY = 8 * 1024 * 1024
_SCHEMA = pa.schema(
    [
        ("page", pa.string()),
        ("time", pa.timestamp("us", tz="UTC")),
        ("signal", pa.string()),
        ("evidence", pa.string()),
    ]
)


@dataclass(frozen=True, slots=True)
class PageRefusal:
    """One capture of a page that refused training: when, by which signal, where."""

    time: datetime | None  # None: undated, so it may be the newest
    signal: str
    evidence: str


class PageRefusals:
    """Every page-level refusal of a build, by page."""

    def __init__(self, found: Iterable[tuple[str, PageRefusal]] = ()) -> None:
        self._by_page: dict[str, list[PageRefusal]] = {}
        for page, refusal in found:
            self._by_page.setdefault(page, []).append(refusal)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_page.values())

    def newer(self, url: str, at: datetime | None) -> PageRefusal | None:
        """A refusal of the page by a capture made at ``at`` or later (or undated; when
        ``at`` is unknown any refusal counts), else None."""
        for refusal in self._by_page.get(page_key(url), ()):
            if at is None or refusal.time is None or refusal.time >= at:
                return refusal
        return None

    def save(self, path: Path) -> None:
        rows = [
            {"page": page, "time": r.time, "signal": r.signal, "evidence": r.evidence}
            for page, refusals in sorted(self._by_page.items())
            for r in refusals
        ]
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        pq.write_table(pa.Table.from_pylist(rows, schema=_SCHEMA), tmp)
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> PageRefusals:
        if not path.is_file():
            return cls()
        rows = pq.read_table(path).to_pylist()
        return cls((r["page"], PageRefusal(r["time"], r["signal"], r["evidence"])) for r in rows)


def gather_page_refusals(
    crawl_runs: Sequence[Path],
    originals: BuildOriginals,
    third_party: Sequence[Path],
    *,
    crawl_agent: str,
    training_agent: str,
) -> PageRefusals:
    """Stage 0: the page-level refusals of our crawls' logs and of others' repeated captures."""
    found = [*_from_crawl_logs(crawl_runs)]
    for archive, offset in originals.repeated(third_party):
        refusal = _judged(archive, offset, crawl_agent, training_agent)
        if refusal is not None:
            found.append(refusal)
    return PageRefusals(found)


def _from_crawl_logs(runs: Sequence[Path]) -> Iterable[tuple[str, PageRefusal]]:
    columns = ["url", "time", "deciding_signal"]
    refused = [("stage", "=", "page"), ("training_signal", "=", DISALLOWED)]
    for run in runs:
        for path in sorted((run / "decisions").glob("*.parquet")):
            for row in pq.read_table(path, columns=columns, filters=refused).to_pylist():
                signal = row["deciding_signal"] or DISALLOWED
                evidence = f"{signal} on the capture of {row['url']} logged in {run.name}"
                yield page_key(row["url"]), PageRefusal(row["time"], signal, evidence)


def _judged(
    archive: Path, offset: int, crawl_agent: str, training_agent: str
) -> tuple[str, PageRefusal] | None:
    """The capture at ``offset`` judged on its page signals: its refusal, or None."""
    capture = read_record_at(archive, offset, _MAX_BODY)
    if capture is None:
        return None
    record = capture.record
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    http = record.http_headers
    headers = list(http.headers) if http else []
    html = _page(capture.body or b"", http) if record.rec_type == "response" else None
    verdict = policies.evaluate(
        url,
        crawl_agent=crawl_agent,
        training_agent=training_agent,
        headers=headers,
        html=html,
        config=policies.PolicyConfig(
            fetch_without_robots=True, train_when_unknown_without_robots=True
        ),
    )
    if verdict.training_signal != DISALLOWED:
        return None
    reason = verdict.deciding_reason
    signal = reason.signal if reason else DISALLOWED
    time = warc_date(record.rec_headers.get_header("WARC-Date"))
    return page_key(url), PageRefusal(time, signal, f"{signal} on {archive.name}@{offset}")


def _page(raw: bytes, http: object) -> str | None:
    """The decoded page, or None when it cannot be decoded (headers are judged alone)."""
    get = getattr(http, "get_header", lambda _name: None)
    try:
        body = decode_body(
            raw, get("Transfer-Encoding") or "", get("Content-Encoding") or "", _MAX_BODY + 1
        )
    except BodyError:
        return None
    return decode_html(body[:_MAX_BODY], get("Content-Type") or "")
