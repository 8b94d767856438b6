"""``duplicates.parquet``: each dropped document's whole shard row, then why and what it matched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.dedup.sink import DuplicateSink
from pipeline.schema import DUPLICATE_SCHEMA, FORMER_DUPLICATE_SCHEMA
from pipeline.shards import document_to_row
from record.schema import DOCUMENT_SCHEMA
from tests.pipeline.dedup._fixtures import doc, edited, prose, run_dedup

A = prose(1)


def test_the_schema_is_the_former_columns_then_the_document_row() -> None:
    names = DUPLICATE_SCHEMA.names
    assert names[: len(FORMER_DUPLICATE_SCHEMA)] == FORMER_DUPLICATE_SCHEMA.names
    assert set(names) == set(DOCUMENT_SCHEMA.names) | {"reason", *names[7:9]}
    assert len(names) == len(set(names))


def test_a_dropped_duplicate_keeps_its_whole_row(tmp_path: Path) -> None:
    near = doc("b", edited(A, 2), url="http://x.test/near")
    near.published_at, near.title, near.host = date(2024, 5, 1), "Near copy", "x.test"
    _, step = run_dedup(tmp_path, [[doc("a", A), near]])
    assert step.stats.as_dict()["dropped/near_duplicate"] == 1
    table = pq.read_table(tmp_path / "duplicates.parquet")
    assert table.schema.equals(DUPLICATE_SCHEMA)
    (row,) = table.to_pylist()
    expected = {**document_to_row(near), "dup_cluster_id": "a", "dup_cluster_size": 2}
    assert {k: row[k] for k in DOCUMENT_SCHEMA.names} == expected
    assert (row["reason"], row["dedup_matched_id"], row["dedup_matched_version"]) == (
        "near_duplicate",
        "a",
        "v0001",
    )


@pytest.mark.parametrize("path", [None, "duplicates.parquet"])
def test_a_build_without_duplicates_gets_an_empty_table(tmp_path: Path, path: str | None) -> None:
    sink = DuplicateSink(tmp_path / path if path else None)
    sink.close()
    written = tmp_path / "duplicates.parquet"
    assert written.is_file() == (path is not None)
    if path:
        assert pq.read_table(written).schema.equals(DUPLICATE_SCHEMA)


@pytest.mark.parametrize(
    ("matched", "text"),
    [("a", None), ("elsewhere", A)],
    ids=["itself-read-again", "another-document"],
)
def test_text_is_left_out_only_for_the_same_document_read_again(
    tmp_path: Path, matched: str, text: str | None
) -> None:
    sink = DuplicateSink(tmp_path / "duplicates.parquet")
    sink.add(doc("a", A), "duplicate_of_earlier_version", matched, "v0001")
    sink.close()
    (row,) = pq.read_table(tmp_path / "duplicates.parquet").to_pylist()
    assert (row["text"], row["text_sha256"]) == (text, doc("a", A).metadata["text_sha256"])
