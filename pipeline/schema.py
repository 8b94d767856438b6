"""The explicit Arrow schemas of the build's own tables (stats, duplicates, removals, sites).

No writer ever infers a schema from its first row. The tables the crawler and the
build share (decisions, robots, documents, exclusions) are :mod:`record`'s.
"""

from __future__ import annotations

import pyarrow as pa

from record.schema import DOCUMENT_SCHEMA

__all__ = [
    "DUPLICATE_SCHEMA",
    "FORMER_DUPLICATE_SCHEMA",
    "REMOVAL_SCHEMA",
    "SITE_CAPTURE_SCHEMA",
    "STATS_SCHEMA",
]

_TS = pa.timestamp("us", tz="UTC")


#: One row per pipeline step and counter (``total``, ``kept``, ``dropped/<reason>``).
STATS_SCHEMA = pa.schema(
    [
        pa.field("step", pa.string(), nullable=False),
        pa.field("counter", pa.string(), nullable=False),
        pa.field("value", pa.int64(), nullable=False),
    ]
)

#: The duplicates table as written before it carried the dropped document's row: the
#: document it matched, by id and by the version holding it (this one or an earlier one).
#: Versions written then still read (``verify`` accepts either; SQL unions by name).
FORMER_DUPLICATE_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("source", pa.string(), nullable=False),
        pa.field("text_sha256", pa.string()),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("dup_cluster_id", pa.string()),
        pa.field("dup_cluster_size", pa.int32()),
        pa.field("dedup_matched_id", pa.string(), nullable=False),
        pa.field("dedup_matched_version", pa.string(), nullable=False),
    ]
)

#: One row per document dropped as a duplicate (``duplicates.parquet`` in a version): the
#: former columns first (queries written for them keep working), then every other column of
#: the document's shard row, text included, so that a duplicate can later take the place
#: of a survivor that is removed (:mod:`pipeline.versions.replace`). ``text`` is null only
#: when the dropped document is the one it matched, read again (same id): its text is in
#: the shards, and it can never replace itself.
DUPLICATE_SCHEMA = pa.schema(
    [
        *FORMER_DUPLICATE_SCHEMA,
        *(
            f.with_nullable(True) if f.name == "text" else f
            for f in DOCUMENT_SCHEMA
            if f.name not in FORMER_DUPLICATE_SCHEMA.names
        ),
    ]
)

#: One row per document removed from a parent version (``removals.parquet``: what THIS
#: version took out). ``reason`` is one of ``opt_out/<signal>`` (a refresh found a refusal),
#: ``robots_unreachable``, ``requested`` (``gleaner remove``; ``note`` holds its --reason) or
#: ``licence_expired``; ``request`` names the command; ``replaced_by`` the duplicate that took
#: the document's place. The ``removals`` SQL view is empty with these columns when there is none.
REMOVAL_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("host", pa.string()),
        pa.field("domain", pa.string()),
        pa.field("source", pa.string(), nullable=False),
        pa.field("licensor", pa.string()),
        pa.field("removed_from", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("deciding_signal", pa.string()),
        pa.field("rule", pa.string()),
        pa.field("evidence", pa.string()),
        pa.field("note", pa.string()),
        pa.field("request", pa.string(), nullable=False),
        pa.field("removed_at", _TS, nullable=False),
        pa.field("replaced_by", pa.string()),
    ]
)


#: One row per site-level capture a build's consent gate knew (``consent/sites.parquet``):
#: robots.txt and TDMRep fetches of every input, resolved; ``status`` null = unreachable.
SITE_CAPTURE_SCHEMA = pa.schema(
    [
        pa.field("kind", pa.string(), nullable=False),
        pa.field("authority", pa.string(), nullable=False),
        pa.field("time", _TS),
        pa.field("status", pa.int32()),
        pa.field("sha256", pa.string()),
        pa.field("body", pa.large_binary(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("note", pa.string(), nullable=False),
    ]
)
