"""Versions read as snapshots: format 2 lists its whole dataset, format 1 adds up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.dataset import resolve_version
from pipeline.errors import DatasetError
from pipeline.lineage import crawl_runs, version_folders, version_number, view


def _version(dataset: Path, name: str, shards: list[str], **extra: object) -> Path:
    folder = dataset / name
    folder.mkdir(parents=True)
    entries = [{"path": f"shards/{s}", "rows": 1} for s in shards]
    manifest = {"version": name, "shards": entries, **extra}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "number"), [("v0001", 1), ("v12345", 12345), ("v01", -1), (".building-v0002", -1)]
)
def test_version_numbers(name: str, number: int) -> None:
    assert version_number(name) == number


def test_format_one_versions_add_up_to_a_snapshot(tmp_path: Path) -> None:
    first = _version(tmp_path, "v0001", ["part-00000.parquet"], crawl_runs=["/runs/a"])
    second = _version(tmp_path, "v0002", ["part-00000.parquet"], crawl_runs=["/runs/b"])
    snapshot = view(second)
    assert snapshot.format == 1
    assert snapshot.shards == (
        first / "shards/part-00000.parquet",
        second / "shards/part-00000.parquet",
    )
    assert snapshot.added_shards == (second / "shards/part-00000.parquet",)
    assert crawl_runs(snapshot) == [Path("/runs/a"), Path("/runs/b")]
    assert view(first).shards == (first / "shards/part-00000.parquet",)


def test_format_two_lists_its_own_complete_dataset(tmp_path: Path) -> None:
    _version(tmp_path, "v0001", ["part-00000.parquet"])
    folder = tmp_path / "v0002"
    folder.mkdir()
    shards = [
        {"path": "shards/part-00000.parquet", "rows": 1, "origin": "reused"},
        {"path": "shards/part-00001.parquet", "rows": 1, "origin": "added"},
    ]
    manifest = {"format": 2, "version": "v0002", "shards": shards}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    snapshot = view(folder)
    assert snapshot.shards == (
        folder / "shards/part-00000.parquet",
        folder / "shards/part-00001.parquet",
    )
    assert snapshot.added_shards == (folder / "shards/part-00001.parquet",)
    assert [p.name for p in snapshot.lineage] == ["v0001", "v0002"]


def test_staging_folders_are_not_versions(tmp_path: Path) -> None:
    _version(tmp_path, "v0001", [])
    (tmp_path / ".building-v0002").mkdir()
    (tmp_path / "v0003").mkdir()  # no manifest: never committed
    assert [p.name for p in version_folders(tmp_path)] == ["v0001"]


def test_a_named_version_resolves_and_a_missing_one_is_named(tmp_path: Path) -> None:
    first = _version(tmp_path, "v0001", [])
    assert resolve_version(tmp_path, "v0001") == first
    with pytest.raises(DatasetError, match="v0009: no such version"):
        resolve_version(tmp_path, "v0009")
