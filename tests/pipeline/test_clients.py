"""The shards read in the clients people use, with the declared schema, offline."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline import BuildResult
from pipeline.schema import DOCUMENT_SCHEMA
from tests.pipeline.built import build_small


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_small(tmp_path_factory.mktemp("clients"))


def shard_files(built: BuildResult) -> list[str]:
    return [str(built.version / "shards" / s.path) for s in built.shards]


def test_duckdb(built: BuildResult) -> None:
    con = duckdb.connect()
    relation = con.read_parquet(shard_files(built))
    assert relation.columns == DOCUMENT_SCHEMA.names
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert types["fetched_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["signals_seen"] == "VARCHAR[]"
    assert types["dup_cluster_size"] == "INTEGER"
    assert len(relation.fetchall()) == built.documents


def test_pyarrow(built: BuildResult) -> None:
    table = pq.ParquetDataset(shard_files(built)).read()
    assert table.schema.equals(DOCUMENT_SCHEMA)
    assert table.num_rows == built.documents


def test_polars(built: BuildResult) -> None:
    pl = pytest.importorskip("polars")
    frame = pl.read_parquet(shard_files(built))
    assert frame.columns == DOCUMENT_SCHEMA.names
    assert frame.schema["text"] == pl.String
    assert frame.schema["signals_seen"] == pl.List(pl.String)
    assert frame.schema["fetched_at"] == pl.Datetime("us", "UTC")
    assert frame.schema["published_at"] == pl.Date
    assert frame.height == built.documents


def test_hugging_face_datasets_offline(
    built: BuildResult, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read at import time by ``datasets``: set before the first import, and no network is tried.
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    loaded = datasets.load_dataset(
        "parquet", data_files=shard_files(built), split="train", cache_dir=str(tmp_path)
    )
    assert loaded.num_rows == built.documents
    assert loaded.features == datasets.Features.from_arrow_schema(DOCUMENT_SCHEMA)
    # Hugging Face features carry no nullability: names and types are what survive.
    schema = loaded.data.table.schema
    assert [(f.name, f.type) for f in schema] == [(f.name, f.type) for f in DOCUMENT_SCHEMA]
    assert {row["id"] for row in loaded} == set(
        pq.ParquetDataset(shard_files(built)).read().column("id").to_pylist()
    )
