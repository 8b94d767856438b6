"""Carrying shards forward: links, copies, names never reused."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pipeline.lineage import view
from pipeline.versions import files
from pipeline.versions.files import (
    index_files,
    link_or_copy,
    next_shard_number,
    shard_entry,
    shard_number,
)


@pytest.mark.parametrize(
    ("path", "number"),
    [("shards/part-00007.parquet", 7), ("part-12345.parquet", 12345), ("shards/x.parquet", -1)],
)
def test_shard_numbers(path: str, number: int) -> None:
    assert shard_number(path) == number


def test_a_link_shares_the_inode(tmp_path: Path) -> None:
    source = tmp_path / "a" / "part-00000.parquet"
    source.parent.mkdir()
    source.write_bytes(b"shard")
    target = tmp_path / "b" / "shards" / "part-00000.parquet"
    link_or_copy(source, target)
    assert target.read_bytes() == b"shard"
    assert os.stat(target).st_ino == os.stat(source).st_ino


def test_a_copy_when_linking_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(src: object, dst: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(files.os, "link", refuse)
    source = tmp_path / "part-00000.parquet"
    source.write_bytes(b"shard")
    target = tmp_path / "v2" / "part-00000.parquet"
    link_or_copy(source, target)
    assert target.read_bytes() == b"shard"
    assert os.stat(target).st_ino != os.stat(source).st_ino
    assert not list(target.parent.glob(".*.tmp"))


def _version(dataset: Path, name: str, shards: list[str]) -> Path:
    folder = dataset / name
    folder.mkdir(parents=True)
    manifest = {"format": 2, "version": name, "shards": [{"path": s, "rows": 0} for s in shards]}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def test_numbers_continue_after_every_shard_the_lineage_held(tmp_path: Path) -> None:
    _version(tmp_path, "v0001", ["shards/part-00000.parquet", "shards/part-00004.parquet"])
    second = _version(tmp_path, "v0002", ["shards/part-00001.parquet"])  # 00004 was removed
    assert next_shard_number(view(second)) == 5
    assert next_shard_number(None) == 0


def test_an_entry_names_its_bytes_and_origin(tmp_path: Path) -> None:
    (tmp_path / "shards").mkdir()
    (tmp_path / "shards" / "part-00000.parquet").write_bytes(b"abc")
    entry = shard_entry(tmp_path, "shards/part-00000.parquet", 3, "reused", "v0001")
    assert entry["bytes"] == 3
    assert entry["sha256"].startswith("ba7816bf")
    assert (entry["origin"], entry["first_version"]) == ("reused", "v0001")
    with pytest.raises(ValueError, match="unknown shard origin"):
        shard_entry(tmp_path, "shards/part-00000.parquet", 3, "copied", "v0001")


def test_index_files_follow_the_snapshot(tmp_path: Path) -> None:
    for name in ("v0001", "v0002"):
        (tmp_path / name).mkdir()
        manifest = {"version": name, "shards": []}  # format 1: increments
        (tmp_path / name / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    third = _version(tmp_path, "v0003", [])
    assert index_files(view(tmp_path / "v0002")) == [
        tmp_path / "v0001" / "index" / "dedup.parquet",
        tmp_path / "v0002" / "index" / "dedup.parquet",
    ]
    assert index_files(view(third)) == [third / "index" / "dedup.parquet"]
