"""Manifest sealing: files listed with size and sha256, a digest of the manifest, size checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.integrity import (
    DIGEST,
    FILES,
    manifest_digest,
    seal,
    size_problems,
    version_files,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, data in [
        ("manifest.json", b"{}"),
        ("shards/part-00000.parquet", b"shard"),
        ("stats/stats.parquet", b"stats!"),
        ("duplicates.parquet", b"dups"),
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_files_lists_everything_but_the_manifest_and_shards(folder: Path) -> None:
    listed = version_files(folder)
    assert [(e["path"], e["bytes"]) for e in listed] == [
        ("duplicates.parquet", 4),
        ("stats/stats.parquet", 6),
    ]


def test_a_sealed_manifest_carries_its_own_digest(folder: Path) -> None:
    sealed = seal({"version": "v0001", "created": folder, "shards": []}, folder)
    assert sealed["created"] == str(folder)  # normalised before digesting
    assert sealed[DIGEST] == manifest_digest(sealed)
    assert [e["path"] for e in sealed[FILES]] == ["duplicates.parquet", "stats/stats.parquet"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


manifests = st.dictionaries(st.text(min_size=1, max_size=4), json_values, min_size=1, max_size=5)


@given(manifests, st.data())
def test_a_changed_value_changes_the_digest(manifest: dict[str, Any], data: st.DataObject) -> None:
    key = data.draw(st.sampled_from(sorted(manifest)))
    value = data.draw(json_values.filter(lambda v: v != manifest[key]))
    assert manifest_digest({**manifest, key: value}) != manifest_digest(manifest)


@given(manifests)
def test_the_digest_ignores_key_order_and_itself(manifest: dict[str, Any]) -> None:
    reordered = dict(reversed(list(manifest.items())))
    assert manifest_digest(reordered) == manifest_digest(manifest)
    assert manifest_digest({**manifest, DIGEST: "x"}) == manifest_digest(manifest)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"path": "stats/stats.parquet", "bytes": 6}, None),
        ({"path": "stats/stats.parquet"}, None),  # written before sizes were recorded
        (
            {"path": "stats/stats.parquet", "bytes": 7},
            "stats/stats.parquet: 6 bytes, the manifest says 7",
        ),
        ({"path": "gone.parquet", "bytes": 1}, "gone.parquet: missing"),
        ({"rows": 3}, "manifest entry without a path: {'rows': 3}"),
    ],
)
def test_size_problems(folder: Path, entry: dict[str, Any], problem: str | None) -> None:
    problems = size_problems(folder, {"shards": [], FILES: [entry]})
    assert problems == ([problem] if problem else [])
