from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.document import Document
from pipeline.schema import DOCUMENT_SCHEMA
from pipeline.shards import ParquetShardWriter, read_documents

texts = st.text(min_size=1, max_size=200)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(texts, max_size=12), st.integers(min_value=1, max_value=5))
def test_write_read_round_trip(tmp_path_factory, values: list[str], max_rows: int) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("shards")
    docs = [
        Document(
            id=str(i),
            text=t,
            source="web",
            url=f"http://127.0.0.1/{i}",
            fetched_at=datetime(2026, 11, 1, tzinfo=UTC),
            published_at=date(2026, 1, 2),
            signals_seen=("robots",),
        )
        for i, t in enumerate(values)
    ]
    shards = ParquetShardWriter(folder, max_rows=max_rows).write(docs)
    assert sum(s.rows for s in shards) == len(docs)
    assert all(s.rows <= max_rows for s in shards)
    back = [d for s in shards for d in read_documents(folder / s.path)]
    assert [(d.id, d.text, d.fetched_at, d.signals_seen) for d in back] == [
        (d.id, d.text, d.fetched_at, d.signals_seen) for d in docs
    ]
    for shard in shards:
        assert pq.read_schema(folder / shard.path).equals(DOCUMENT_SCHEMA)


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    ParquetShardWriter(tmp_path, max_rows=2).write(
        Document(id=str(i), text="x", source="web") for i in range(5)
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "part-00000.parquet",
        "part-00001.parquet",
        "part-00002.parquet",
    ]
