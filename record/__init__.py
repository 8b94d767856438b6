"""The record: what the crawler writes down and the build reads back.

A leaf package (it imports only pyarrow, the standard library and :mod:`policies`), so
the crawler and the pipeline both import it and neither imports the other. It owns the
schemas of the decision log, robots log, document shards and exclusions
(:mod:`record.schema`), our default product tokens (:mod:`record.tokens`), the fetch and
scope outcomes with the one constructor of their verdicts (:mod:`record.outcomes`), and
verdict → row (:mod:`record.rows`).
"""

from __future__ import annotations

from record.outcomes import (
    OUTCOMES,
    outcome_of,
    outcome_verdict,
    publisher_verdict,
    revisit_verdict,
    with_fetch_answer,
)
from record.rows import decision_row, verdict_columns, verdict_summary
from record.schema import DECISION_SCHEMA, DOCUMENT_SCHEMA, EXCLUSION_SCHEMA, ROBOTS_SCHEMA
from record.tokens import CRAWL_TOKEN, TRAINING_TOKEN

__all__ = [
    "CRAWL_TOKEN",
    "DECISION_SCHEMA",
    "DOCUMENT_SCHEMA",
    "EXCLUSION_SCHEMA",
    "OUTCOMES",
    "ROBOTS_SCHEMA",
    "TRAINING_TOKEN",
    "decision_row",
    "outcome_of",
    "outcome_verdict",
    "publisher_verdict",
    "revisit_verdict",
    "verdict_columns",
    "verdict_summary",
    "with_fetch_answer",
]
