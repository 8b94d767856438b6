"""The explicit Arrow schemas of the tables both the crawler and the build read or write.

The decision log and the robots log (written by the crawler, read by the build), the
document shards and the exclusions of a dataset version. One module owns them so that no
writer ever infers a schema from its first row.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["DECISION_SCHEMA", "DOCUMENT_SCHEMA", "EXCLUSION_SCHEMA", "ROBOTS_SCHEMA"]

_TS = pa.timestamp("us", tz="UTC")

#: One row per URL and decision (stage ``robots`` before the fetch, ``page`` after).
#: ``training_signal`` is ``allowed``, ``disallowed``, ``unknown`` or ``unreadable`` (the
#: page's own signals could not be read in full; never trained on). ``outcome`` names a fetch
#: or scope outcome (:data:`record.outcomes.OUTCOMES`) that stopped the URL or left it unread;
#: empty when the row is the publisher's signals alone. Logs written before the column existed
#: lack it: readers take it as empty.
DECISION_SCHEMA = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("host", pa.string(), nullable=False),
        pa.field("time", _TS, nullable=False),
        pa.field("crawl_token", pa.string(), nullable=False),
        pa.field("training_token", pa.string(), nullable=False),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("may_fetch", pa.bool_(), nullable=False),
        pa.field("may_index", pa.bool_()),
        pa.field("may_train", pa.bool_()),
        pa.field("training_signal", pa.string()),
        pa.field("deciding_signal", pa.string()),
        pa.field("rule", pa.string()),
        pa.field("evidence", pa.string()),
        pa.field("outcome", pa.string()),
        pa.field("signals_seen", pa.list_(pa.string())),
        pa.field("robots_sha256", pa.string()),
        pa.field("robots_fetched_at", _TS),
        pa.field("http_status", pa.int32()),
        pa.field("warc_file", pa.string()),
        pa.field("warc_record_id", pa.string()),
    ]
)

#: One row per robots.txt fetch (the raw body is in the WARC).
ROBOTS_SCHEMA = pa.schema(
    [
        pa.field("authority", pa.string(), nullable=False),
        pa.field("time", _TS, nullable=False),
        pa.field("status", pa.int32()),
        pa.field("redirects", pa.list_(pa.string())),
        pa.field("sha256", pa.string()),
        pa.field("size", pa.int64()),
        pa.field("outcome", pa.string(), nullable=False),
        pa.field("error", pa.string()),
        pa.field("warc_file", pa.string()),
        pa.field("warc_record_id", pa.string()),
    ]
)

#: One row per document in a dataset shard.
DOCUMENT_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("text", pa.large_string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("host", pa.string()),
        pa.field("domain", pa.string()),
        pa.field("title", pa.string()),
        pa.field("language", pa.string()),
        pa.field("language_score", pa.float32()),
        pa.field("license", pa.string()),
        pa.field("licensor", pa.string()),
        pa.field("license_valid_until", pa.date32()),
        pa.field("attribution", pa.string()),
        pa.field("fetched_at", _TS),
        pa.field("published_at", pa.date32()),
        pa.field("warc_file", pa.string()),
        pa.field("warc_record_id", pa.string()),
        pa.field("warc_offset", pa.int64()),
        pa.field("licensed_file", pa.string()),
        pa.field("licensed_row", pa.int64()),
        pa.field("robots_sha256", pa.string()),
        pa.field("training_signal", pa.string()),
        pa.field("signals_seen", pa.list_(pa.string())),
        pa.field("decided_at", _TS),
        pa.field("text_sha256", pa.string(), nullable=False),
        pa.field("dup_cluster_id", pa.string()),
        pa.field("dup_cluster_size", pa.int32()),
        pa.field("chars", pa.int32(), nullable=False),
        pa.field("words", pa.int32(), nullable=False),
    ]
)

#: One row per document a stage-1 step dropped: which step, why, and where it came from.
EXCLUSION_SCHEMA = pa.schema(
    [
        pa.field("step", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("url", pa.string()),
        pa.field("warc_file", pa.string()),
        pa.field("warc_record_id", pa.string()),
        pa.field("warc_offset", pa.int64()),
        pa.field("licensed_file", pa.string()),
        pa.field("licensed_row", pa.int64()),
        pa.field("evidence", pa.string()),
    ]
)
