"""The consent gate over a crawl's decision log: only a row that says True trains.

A fetch or scope outcome (a 304, a refused type, ...) left the page unread: whatever its
``may_train`` column says, it never admits a document, and it is never counted as an
opt-out; a publisher's refusal on such a row still is. Logs written before the ``outcome``
column read as if it were empty.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.consent import ConsentGate, load_decisions
from pipeline.document import Document
from pipeline.sql import _log_view
from pipeline.step import Drop
from record import DECISION_SCHEMA

OLD_SCHEMA = pa.schema([f for f in DECISION_SCHEMA if f.name != "outcome"])
NOW = datetime(2026, 11, 30, tzinfo=UTC)


def log_row(record_id: str, **columns: Any) -> dict[str, Any]:
    return {
        "url": f"http://a.example/{record_id}",
        "host": "a.example",
        "time": NOW,
        "crawl_token": "Gleaner",
        "training_token": "Gleaner-Extended",
        "stage": "page",
        "may_fetch": True,
        "training_signal": "unknown",
        "warc_record_id": record_id,
        **columns,
    }


def write_log(path: Path, rows: list[dict[str, Any]], schema: pa.Schema = DECISION_SCHEMA) -> Path:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


def verdict_of(tmp_path: Path, **columns: Any) -> Drop | None:
    log = write_log(tmp_path / "part-00000.parquet", [log_row("r", **columns)])
    gate = ConsentGate(load_decisions((log,)))
    return gate.decide(Document(id="d", text="<p>x</p>", source="web", warc_record_id="r"))


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ({"may_train": True}, None),
        ({"may_train": None}, Drop("opt_out/unknown")),  # no answer is never a yes
        ({"may_train": None, "outcome": "not_modified"}, Drop("outcome/not_modified")),
        ({"may_train": True, "outcome": "content_type"}, Drop("outcome/content_type")),
        (
            {"may_train": False, "outcome": "not_modified", "training_signal": "disallowed",
             "deciding_signal": "robots_training_token"},
            Drop("opt_out/robots_training_token"),
        ),
        (
            {"may_train": False, "training_signal": "unreadable",
             "deciding_signal": "signals_unreadable"},
            Drop("signals_unreadable"),
        ),
    ],
    ids=["allowed", "empty", "304", "refused type", "304 with a new opt-out", "unreadable"],
)  # fmt: skip
def test_only_a_row_that_says_true_and_was_read_admits_a_document(
    tmp_path: Path, columns: dict[str, Any], expected: Drop | None
) -> None:
    assert verdict_of(tmp_path, **columns) == expected


def test_a_log_from_before_the_outcome_column_is_read(tmp_path: Path) -> None:
    rows = [log_row("yes", may_train=True), log_row("no", may_train=False)]
    log = write_log(tmp_path / "part-00000.parquet", rows, OLD_SCHEMA)
    decisions = load_decisions((log,))
    assert {k: (d.may_train, d.outcome) for k, d in decisions.items()} == {
        "yes": (True, None),
        "no": (False, None),
    }


def test_the_decisions_view_has_the_outcome_column_over_old_and_new_logs(
    tmp_path: Path,
) -> None:
    old = write_log(tmp_path / "old.parquet", [log_row("a", may_train=True)], OLD_SCHEMA)
    new = write_log(tmp_path / "new.parquet", [log_row("b", outcome="not_modified")])
    for files in ([old], [old, new]):
        con = duckdb.connect()
        _log_view(con, "decisions", files, DECISION_SCHEMA)
        got = con.execute("SELECT warc_record_id, outcome FROM decisions ORDER BY 1").fetchall()
        assert got == [("a", None), ("b", "not_modified")][: len(files)]
