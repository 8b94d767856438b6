"""Time ``gleaner audit`` on a generated dataset of many documents.

``make_dataset`` writes, directly with pyarrow (no crawl, no build), a dataset the audit
reads like a real one: one crawl run (a robots log row per host, one ``page`` decision per
document plus ``robots`` refusals), version ``v0001`` with the documents in shards of 100,000
and ``v0002`` that carries them by hard link and adds a shard, each with its site captures.
Hosts are many; ``AUDITED`` holds about 1,000 documents. ``time_audit`` runs the audit of
that host and returns the seconds it took (the best of ``repeat``).

    python -m bench.audit_timing --documents 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.audit import Publisher, audit_publisher
from pipeline.schema import SITE_CAPTURE_SCHEMA
from record.schema import DECISION_SCHEMA, DOCUMENT_SCHEMA, ROBOTS_SCHEMA

__all__ = ["AUDITED", "make_dataset", "time_audit"]

AUDITED = "audited.example"
_SHARD_ROWS = 100_000
_PER_AUDITED = 1_000
_ROBOTS = b"User-agent: *\nAllow: /\n\nUser-agent: Gleaner-Extended\nDisallow: /members/\n"
_TEXT = "A paragraph of plain prose that stands for the extracted text of a page. " * 8
_T0 = datetime(2026, 11, 29, 12, tzinfo=UTC)


def host_of(i: int, documents: int) -> str:
    """Every ``documents // 1000``-th document is the audited host's; the rest spread over
    10,000 other hosts."""
    every = max(1, documents // _PER_AUDITED)
    return AUDITED if i % every == 0 else f"site{i % 10_000:05d}.example"


def make_dataset(folder: Path, documents: int) -> Path:
    """Write the dataset and its crawl run under ``folder``; return the dataset folder."""
    run = folder / "runs" / "bench" / "20261129T120000Z"
    hosts = sorted({host_of(i, documents) for i in range(min(documents, 20_000))})
    _write_robots_log(run, hosts)
    _write_decisions(run, documents)
    dataset = folder / "dataset"
    first = _write_version(dataset / "v0001", run, hosts, range(documents), parent=None)
    added = range(documents, documents + max(1, documents // 100))
    _write_version(dataset / "v0002", run, hosts, added, parent=first)
    return dataset


def _write_robots_log(run: Path, hosts: list[str]) -> None:
    (run / "robots").mkdir(parents=True)
    sha = hashlib.sha256(_ROBOTS).hexdigest()
    rows = [
        {
            "authority": f"https://{h}",
            "time": _T0,
            "status": 200,
            "redirects": [],
            "sha256": sha,
            "size": len(_ROBOTS),
            "outcome": "parsed",
        }
        for h in hosts
    ]
    pq.write_table(pa.Table.from_pylist(rows, ROBOTS_SCHEMA), run / "robots" / "00000.parquet")


def _write_decisions(run: Path, documents: int) -> None:
    (run / "decisions").mkdir(parents=True)
    for start in range(0, documents, _SHARD_ROWS):
        ids = range(start, min(documents, start + _SHARD_ROWS))
        n = len(ids)
        columns = {
            "url": [f"https://{host_of(i, documents)}/p/{i}" for i in ids],
            "host": [host_of(i, documents) for i in ids],
            "time": [_T0 + timedelta(seconds=i) for i in ids],
            "crawl_token": ["Gleaner"] * n,
            "training_token": ["Gleaner-Extended"] * n,
            "stage": ["page"] * n,
            "may_fetch": [True] * n,
            "may_index": [True] * n,
            "may_train": [True] * n,
            "training_signal": ["unknown"] * n,
            "robots_sha256": [hashlib.sha256(_ROBOTS).hexdigest()] * n,
            "warc_record_id": [f"<urn:uuid:{i:032d}>" for i in ids],
        }
        table = _table(columns, DECISION_SCHEMA, n)
        pq.write_table(table, run / "decisions" / f"{start // _SHARD_ROWS:05d}.parquet")


def _write_version(
    folder: Path, run: Path, hosts: list[str], ids: range, parent: Path | None
) -> Path:
    (folder / "shards").mkdir(parents=True)
    entries = []
    if parent is not None:  # carried forward, as a snapshot does: hard links
        for entry in json.loads((parent / "manifest.json").read_text())["shards"]:
            os.link(parent / entry["path"], folder / entry["path"])
            entries.append({**entry, "origin": "reused"})
    number = len(entries)
    for start in range(ids.start, ids.stop, _SHARD_ROWS):
        chunk = range(start, min(ids.stop, start + _SHARD_ROWS))
        relative = f"shards/part-{number:05d}.parquet"
        pq.write_table(_documents(chunk, ids.stop), folder / relative, compression="zstd")
        entries.append({"path": relative, "rows": len(chunk), "origin": "added"})
        number += 1
    _write_sites(folder, hosts)
    manifest = {
        "format": 2,
        "version": folder.name,
        "parent": None if parent is None else parent.name,
        "created": _T0.isoformat(),
        "kind": "build",
        "shards": entries,
        "crawl_runs": [str(run)],
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


def _documents(ids: range, documents: int) -> pa.Table:
    n = len(ids)
    hosts = [host_of(i, documents) for i in ids]
    columns = {
        "id": [f"{i:032x}" for i in ids],
        "text": [_TEXT] * n,
        "source": ["web"] * n,
        "url": [f"https://{h}/p/{i}" for h, i in zip(hosts, ids, strict=True)],
        "host": hosts,
        "domain": hosts,
        "warc_record_id": [f"<urn:uuid:{i:032d}>" for i in ids],
        "text_sha256": [f"{i:064x}" for i in ids],
        "chars": [len(_TEXT)] * n,
        "words": [len(_TEXT.split())] * n,
    }
    return _table(columns, DOCUMENT_SCHEMA, n)


def _write_sites(folder: Path, hosts: list[str]) -> None:
    (folder / "consent").mkdir()
    rows = [
        {
            "kind": "robots",
            "authority": f"https://{h}",
            "time": _T0,
            "status": 200,
            "sha256": hashlib.sha256(_ROBOTS).hexdigest(),
            "body": _ROBOTS,
            "source": "robots log",
            "note": "",
        }
        for h in hosts
    ]
    table = pa.Table.from_pylist(rows, SITE_CAPTURE_SCHEMA)
    pq.write_table(table, folder / "consent" / "sites.parquet")


def _table(columns: dict[str, list[object]], schema: pa.Schema, n: int) -> pa.Table:
    arrays = [
        pa.array(columns[f.name], f.type) if f.name in columns else pa.nulls(n, f.type)
        for f in schema
    ]
    return pa.Table.from_arrays(arrays, schema=schema)


def time_audit(dataset: Path, repeat: int = 3) -> tuple[float, int]:
    """Best wall time of ``repeat`` audits of :data:`AUDITED`, and its document count."""
    best, found = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        audit = audit_publisher(dataset, Publisher.host(AUDITED))
        best = min(best, time.perf_counter() - start)
        found = len(audit.documents)
    return best, found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="Write the dataset here and keep it.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        start = time.perf_counter()
        dataset = make_dataset(folder, args.documents)
        made = time.perf_counter() - start
        seconds, found = time_audit(dataset)
    print(
        f"generated {args.documents:,} documents in 2 versions in {made:.1f} s; "
        f"audit of {AUDITED} ({found:,} documents): {seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
