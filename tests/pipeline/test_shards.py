from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.document import Document
from pipeline.errors import DatasetError
from pipeline.shards import ParquetShardWriter, document_to_row, file_sha256, read_documents
from record.schema import DOCUMENT_SCHEMA

texts = st.text(min_size=1, max_size=200)


# No deadline: a wall-clock limit fails on a busy machine, not on a wrong round trip.
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
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


def _docs(n: int, text: str = "word " * 20) -> list[Document]:
    return [Document(id=f"{i:04d}", text=text, source="web") for i in range(n)]


@pytest.mark.parametrize(
    ("rows", "group_rows", "group_bytes", "max_rows", "expected"),
    [
        (25, 10, 1 << 20, 100, [[10, 10, 5]]),
        (25, 10, 250, 100, [[3] * 8 + [1]]),  # 100-char texts: bytes close a group first
        (25, 10, 1 << 20, 12, [[10, 2], [10, 2], [1]]),  # a shard's last group is cut short
        (0, 10, 1 << 20, 100, [[]]),
    ],
)
def test_row_groups_close_on_rows_or_bytes(
    tmp_path: Path,
    rows: int,
    group_rows: int,
    group_bytes: int,
    max_rows: int,
    expected: list[list[int]],
) -> None:
    writer = ParquetShardWriter(
        tmp_path, max_rows=max_rows, row_group_rows=group_rows, row_group_bytes=group_bytes
    )
    shards = writer.write(_docs(rows))
    groups = []
    for shard in shards:
        meta = pq.ParquetFile(tmp_path / shard.path).metadata
        groups.append([meta.row_group(i).num_rows for i in range(meta.num_row_groups)])
    assert [[g for g in shard if g] for shard in groups] == expected


def test_same_documents_same_bytes(tmp_path: Path) -> None:
    first = ParquetShardWriter(tmp_path / "a", max_rows=7).write(_docs(20))
    second = ParquetShardWriter(tmp_path / "b", max_rows=7).write(_docs(20))
    assert [s.sha256 for s in first] == [s.sha256 for s in second]


def test_same_inputs_and_config_build_the_same_shards(tmp_path: Path) -> None:
    from tests.pipeline.built import build_small

    one, two = build_small(tmp_path), build_small(tmp_path, tmp_path / "again")
    assert len(one.shards) > 1
    assert [s.sha256 for s in one.shards] == [s.sha256 for s in two.shards]
    assert (one.version / "index" / "dedup.parquet").read_bytes() == (
        two.version / "index" / "dedup.parquet"
    ).read_bytes()


def _last_text_page_byte(path: Path) -> int:
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(DOCUMENT_SCHEMA.names.index("text"))
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    return int(start + chunk.total_compressed_size - 1)


def test_a_flipped_byte_in_a_text_page_fails_the_read(tmp_path: Path) -> None:
    [info] = ParquetShardWriter(tmp_path).write(_docs(3, "a page of words " * 30))
    path = tmp_path / info.path
    data = bytearray(path.read_bytes())
    data[_last_text_page_byte(path)] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(OSError, match="CRC"):
        list(read_documents(path))


def test_shard_info_records_the_byte_size(tmp_path: Path) -> None:
    [info] = ParquetShardWriter(tmp_path).write(_docs(2))
    assert info.bytes == (tmp_path / info.path).stat().st_size


@pytest.mark.parametrize("checksum", [True, False])
def test_a_shard_is_hashed_unless_it_is_a_work_file(tmp_path: Path, checksum: bool) -> None:
    [info] = ParquetShardWriter(tmp_path, checksum=checksum).write(_docs(2))
    assert info.sha256 == (file_sha256(tmp_path / info.path) if checksum else "")


def test_pages_that_vanish_without_a_checksum_error_fail_the_read(tmp_path: Path) -> None:
    # The checksum covers page data, not the page header: this flip in the header makes
    # pyarrow skip the page silently and return fewer rows than the footer declares.
    [info] = ParquetShardWriter(tmp_path).write(_docs(2))
    path = tmp_path / info.path
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(DOCUMENT_SCHEMA.names.index("url"))
    data = bytearray(path.read_bytes())
    data[chunk.data_page_offset + 1] ^= 0x01  # the page type field of the header
    path.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match="pages hold 0 rows, the footer says 2"):
        list(read_documents(path))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lengths=st.lists(st.integers(0, 120), max_size=40),
    cuts=st.lists(st.integers(0, 40), max_size=5),
    group_rows=st.integers(1, 12),
    group_bytes=st.integers(1, 400),
    max_rows=st.integers(1, 30),
)
def test_tables_write_the_bytes_documents_do(
    tmp_path_factory: pytest.TempPathFactory,
    lengths: list[int],
    cuts: list[int],
    group_rows: int,
    group_bytes: int,
    max_rows: int,
) -> None:
    docs = [Document(id=f"{i:04d}", text="w" * n, source="web") for i, n in enumerate(lengths)]
    sizes = {"max_rows": max_rows, "row_group_rows": group_rows, "row_group_bytes": group_bytes}
    folder = tmp_path_factory.mktemp("shards")
    by_docs = ParquetShardWriter(folder / "docs", **sizes).write(docs)
    table = pa.Table.from_pylist([document_to_row(d) for d in docs], schema=DOCUMENT_SCHEMA)
    edges = sorted({0, len(docs), *(c for c in cuts if c <= len(docs))})
    tables = [table.slice(a, b - a) for a, b in itertools.pairwise(edges)]
    by_tables = ParquetShardWriter(folder / "tables", **sizes).write_tables(tables)
    assert by_tables == by_docs
