"""Publisher audits: what a dataset took from one host or domain, and why, from its files.

``audit_publisher(dataset, Publisher.host("news.example"))`` reads the robots logs,
decision logs, WARC records, shards, duplicates, removals and exclusions of every crawl run
and version the dataset knows, with DuckDB over the Parquet files in place (only the needed
columns, never a document's text), and returns a :class:`PublisherAudit`: plain rows per
section and a stable JSON form (``docs/audit.md``). Rendering for people lives in the CLI.
"""

from __future__ import annotations

from pipeline.audit.audit import audit_publisher
from pipeline.audit.publisher import Publisher
from pipeline.audit.result import FORMAT_VERSION, SECTIONS, PublisherAudit, refused, refused_why

__all__ = [
    "FORMAT_VERSION",
    "SECTIONS",
    "Publisher",
    "PublisherAudit",
    "audit_publisher",
    "refused",
    "refused_why",
]
