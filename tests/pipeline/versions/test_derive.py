"""Deriving a version: exactly the judged documents leave, the rest is carried unchanged."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.dedup.version_index import INDEX_FILE
from pipeline.lineage import VersionView, read_manifest, view
from pipeline.schema import REMOVAL_SCHEMA
from pipeline.sites import SITES_FILE, SiteCapture, SiteSignals
from pipeline.verify import verify_version
from pipeline.versions import derive as derive_module
from pipeline.versions.derive import Judge, Removal, derive_version
from pipeline.versions.removal import removed_ids
from pipeline.versions.select import Selector, expired
from tests.pipeline.versions.datasets import build_dataset, format_one, tiny_version

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_dataset(tmp_path_factory.mktemp("derive"))


@pytest.fixture
def dataset(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "ds"))


def documents(version: Path) -> list[dict[str, Any]]:
    """Every document row of a version, in snapshot order (text left out)."""
    rows: list[dict[str, Any]] = []
    for shard in view(version).shards:
        table = pq.read_table(shard)
        rows += table.drop_columns(["text"]).to_pylist()
    return rows


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def remove(dataset: Path, judge: Judge, **extra: Any) -> derive_module.Derived:
    return derive_version(dataset, judge, kind="remove", request="remove", now=NOW, **extra)


@pytest.mark.parametrize(
    ("kind", "values", "wanted"),
    [
        ("host", ("127.0.0.1:8002",), lambda r: r["host"] == "127.0.0.1:8002"),
        ("host", ("HTTP://127.0.0.1:8002/",), lambda r: r["host"] == "127.0.0.1:8002"),
        ("url_prefix", ("http://127.0.0.1:8003/news/1",), lambda r: r["url"] in _late_8003),
        ("licensor", ("acme ltd.",), lambda r: r["licensor"] == "Acme Ltd."),
        ("domain", ("127.0.0.1",), lambda r: r["source"] == "web"),
    ],
)
def test_a_selector_removes_exactly_its_documents(
    dataset: Path, kind: str, values: tuple[str, ...], wanted: Any
) -> None:
    parent = dataset / "v0001"
    before = documents(parent)
    derived = remove(dataset, Selector(kind, values).judge(), note="mail of 2026-11-30")
    assert derived.version == dataset / "v0002"
    gone = [r["id"] for r in before if wanted(r)]
    assert gone and sorted(r["id"] for r in derived.removals) == sorted(gone)
    assert [r["id"] for r in documents(derived.version)] == [
        r["id"] for r in before if not wanted(r)
    ]


_late_8003 = {"http://127.0.0.1:8003/news/10", "http://127.0.0.1:8003/news/11"}


def test_removal_by_id(dataset: Path) -> None:
    ids = [r["id"] for r in documents(dataset / "v0001")][1::5]
    derived = remove(dataset, Selector("id", tuple(ids)).judge())
    assert sorted(r["id"] for r in derived.removals) == sorted(ids)
    assert not set(ids) & {r["id"] for r in documents(dataset / "v0002")}


def test_untouched_shards_are_the_parents_files_and_touched_ones_keep_their_order(
    dataset: Path,
) -> None:
    parent_view = view(dataset / "v0001")
    derived = remove(dataset, Selector("url_prefix", ("http://127.0.0.1:8003/news/1",)).judge())
    assert derived.version is not None
    manifest = read_manifest(derived.version)
    entries = {e["path"]: e for e in manifest["shards"]}
    for shard in parent_view.shards[:3]:  # the licensed shard and the two other hosts
        mine = derived.version / "shards" / shard.name
        assert os.stat(mine).st_ino == os.stat(shard).st_ino
        assert entries[f"shards/{shard.name}"]["origin"] == "reused"
        assert entries[f"shards/{shard.name}"]["first_version"] == "v0001"
    rewritten = [e for e in manifest["shards"] if e["origin"] == "rewritten"]
    assert [e["path"] for e in rewritten] == ["shards/part-00004.parquet"]  # a new number
    assert rewritten[0]["first_version"] == "v0002"
    kept = pq.read_table(derived.version / rewritten[0]["path"]).to_pylist()
    old = pq.read_table(parent_view.shards[3]).to_pylist()
    assert kept == [r for r in old if r["url"] not in _late_8003]  # every column, in order


def test_removals_parquet_is_complete(dataset: Path) -> None:
    derived = remove(dataset, Selector("host", ("127.0.0.1:8001",)).judge(), note="ticket 7")
    assert derived.version is not None
    table = pq.read_table(derived.version / "removals.parquet")
    assert table.schema.equals(REMOVAL_SCHEMA)
    rows = table.to_pylist()
    assert len(rows) == 4
    assert {(r["host"], r["source"], r["domain"]) for r in rows} == {
        ("127.0.0.1:8001", "web", "127.0.0.1")
    }
    first = rows[0]
    assert first["url"].startswith("http://127.0.0.1:8001/news/")
    assert (first["removed_from"], first["reason"], first["request"]) == (
        "v0001",
        "requested",
        "remove",
    )
    assert (first["rule"], first["note"]) == ("host", "ticket 7")
    assert first["evidence"] == "requested by --host 127.0.0.1:8001"
    assert first["removed_at"] == NOW and first["replaced_by"] is None


def test_the_new_version_is_a_whole_snapshot_that_verifies(dataset: Path) -> None:
    derived = remove(dataset, Selector("host", ("127.0.0.1:8001",)).judge())
    assert derived.version is not None
    manifest = read_manifest(derived.version)
    assert (manifest["format"], manifest["kind"], manifest["parent"]) == (2, "remove", "v0001")
    assert manifest["documents"] == derived.documents == 12
    assert manifest["delta"] == {"parent": "v0001", "added": 0, "removed": 4, "replaced": 0}
    assert manifest["stats"]["removal"] == {
        "total": 16,
        "kept": 12,
        "dropped": 4,
        "dropped/requested": 4,
    }
    assert manifest["crawl_runs"] == read_manifest(dataset / "v0001")["crawl_runs"]
    assert pq.ParquetFile(derived.version / INDEX_FILE).metadata.num_rows == 12
    assert (derived.version / SITES_FILE).is_file()
    report = verify_version(derived.version)
    assert report.ok, report.problems


def test_index_rows_follow_the_documents(dataset: Path) -> None:
    derived = remove(dataset, Selector("id", (documents(dataset / "v0001")[5]["id"],)).judge())
    assert derived.version is not None
    hashes = pq.read_table(derived.version / INDEX_FILE, columns=["text_hash"]).column(0)
    expected = [int(r["text_sha256"][:16], 16) for r in documents(derived.version)]
    assert hashes.to_pylist() == expected
    parent_index = pq.read_schema(dataset / "v0001" / INDEX_FILE)
    assert pq.read_schema(derived.version / INDEX_FILE).metadata == parent_index.metadata


def test_the_parent_is_byte_identical_afterwards(dataset: Path) -> None:
    before = fingerprint(dataset / "v0001")
    remove(dataset, Selector("url_prefix", ("http://127.0.0.1:8003/news/1",)).judge())
    assert fingerprint(dataset / "v0001") == before


@pytest.mark.parametrize(
    ("on", "removed"), [(date(2030, 1, 1), 0), (date(2030, 1, 2), 4), (date(2029, 6, 1), 0)]
)
def test_expiry_removes_licences_ended_before_the_day(
    dataset: Path, on: date, removed: int
) -> None:
    derived = derive_version(dataset, expired(on), kind="expire", request="expire", now=NOW)
    assert len(derived.removals) == removed
    if not removed:
        assert derived.version is None
        assert not (dataset / "v0002").exists()
        return
    assert {r["reason"] for r in derived.removals} == {"licence_expired"}
    assert derived.removals[0]["evidence"] == (
        "licence of Acme Ltd. valid until 2030-01-01 (corpus acme)"
    )


def test_nothing_removed_writes_no_version(dataset: Path) -> None:
    derived = remove(dataset, Selector("host", ("127.0.0.1:9999",)).judge())
    assert (derived.version, derived.parent, derived.removals) == (None, "v0001", [])
    assert sorted(p.name for p in dataset.iterdir()) == ["v0001"]


def test_a_new_capture_alone_makes_a_version_that_keeps_them_all(dataset: Path) -> None:
    capture = SiteCapture("robots", "http://127.0.0.1:8001", NOW, 200, b"User-agent: *\n", "t")
    derived = remove(dataset, lambda row: None, sites=SiteSignals([capture]))
    assert derived.version is not None and derived.documents == 16
    merged = SiteSignals.load(derived.version / SITES_FILE).captures
    parent = SiteSignals.load(dataset / "v0001" / SITES_FILE).captures
    assert merged == [*parent, capture]


class _Boom(Exception):
    pass


@pytest.mark.parametrize("error", [KeyboardInterrupt, _Boom])
def test_an_interruption_leaves_the_dataset_as_it_was(
    dataset: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException]
) -> None:
    before = fingerprint(dataset)

    def fail(*args: object, **kwargs: object) -> int:
        raise error

    monkeypatch.setattr(derive_module, "filter_index", fail)
    with pytest.raises(error):
        remove(dataset, Selector("host", ("127.0.0.1:8001",)).judge())
    assert fingerprint(dataset) == before
    assert sorted(p.name for p in dataset.iterdir()) == ["v0001"]


def test_an_unfinished_build_is_not_overwritten(dataset: Path) -> None:
    staging = dataset / ".building-v0002"
    staging.mkdir()
    (staging / "plan.json").write_text("{}")
    with pytest.raises(derive_module.DatasetError, match="unfinished build"):
        remove(dataset, Selector("host", ("127.0.0.1:8001",)).judge())
    assert (staging / "plan.json").is_file()


def test_removals_accumulate_over_versions(dataset: Path) -> None:
    first = remove(dataset, Selector("host", ("127.0.0.1:8001",)).judge())
    second = remove(dataset, Selector("licensor", ("Acme Ltd.",)).judge())
    assert second.version == dataset / "v0003"
    manifest = read_manifest(second.version)
    assert manifest["parent"] == "v0002" and manifest["documents"] == 8
    # A shard reused twice keeps the version that first wrote it.
    reused = [e for e in manifest["shards"] if e["origin"] == "reused"]
    assert {e["first_version"] for e in reused} == {"v0001"}
    ids = {r["id"] for r in first.removals} | {r["id"] for r in second.removals}
    assert removed_ids(view(second.version)) == ids
    assert verify_version(second.version).ok


def test_a_format_one_dataset_is_read_whole_and_written_as_a_snapshot(
    built: Path, tmp_path: Path
) -> None:
    dataset = format_one(built, tmp_path / "f1")
    parent = view(dataset / "v0002")
    assert parent.format == 1
    before = documents(dataset / "v0002")
    assert len(before) == 32
    derived = remove(dataset, Selector("host", ("127.0.0.1:8002",)).judge())
    assert derived.version is not None
    after = documents(derived.version)
    assert [r["id"] for r in after] == [r["id"] for r in before if r["host"] != "127.0.0.1:8002"]
    manifest = read_manifest(derived.version)
    names = [e["path"] for e in manifest["shards"]]
    assert len(names) == len(set(names)) == 6  # two files of each name in the lineage
    firsts = [(e["origin"], e["first_version"]) for e in manifest["shards"]]
    assert firsts == [("reused", "v0001")] * 3 + [("reused", "v0002")] * 3
    for entry in manifest["shards"]:
        source = next(
            s
            for s in parent.shards
            if s.stat().st_ino == (derived.version / entry["path"]).stat().st_ino
        )
        assert source.parent.parent.name == entry["first_version"]
    assert pq.ParquetFile(derived.version / INDEX_FILE).metadata.num_rows == 24
    assert verify_version(derived.version).ok


def _copy_as_replacement(
    parent: VersionView, removed: Mapping[str, Removal], judge: Judge
) -> list[dict[str, Any]]:
    """A replace hook: each removed document comes back under a new id, as its cluster's
    new survivor (what the dedup survivor replacement returns, from a duplicate)."""
    rows = []
    for shard in parent.shards:
        for row in pq.read_table(shard).to_pylist():
            if row["id"] in removed and judge({**row, "id": f"copy-{row['id']}"}) is None:
                rows.append({**row, "id": f"copy-{row['id']}", "dup_cluster_id": row["id"]})
    return rows


def test_replacements_get_a_shard_index_keys_and_replaced_by(dataset: Path) -> None:
    ids = tuple(r["id"] for r in documents(dataset / "v0001")[4:6])
    derived = remove(dataset, Selector("id", ids).judge(), replace=_copy_as_replacement)
    assert derived.version is not None and derived.added == 2
    manifest = read_manifest(derived.version)
    added = [e for e in manifest["shards"] if e["origin"] == "added"]
    assert [(e["rows"], e["first_version"]) for e in added] == [(2, "v0002")]
    assert manifest["delta"] == {"parent": "v0001", "added": 2, "removed": 2, "replaced": 2}
    rows = documents(derived.version)
    assert [r["id"] for r in rows[-2:]] == [f"copy-{i}" for i in ids]
    hashes = pq.read_table(derived.version / INDEX_FILE, columns=["text_hash"]).column(0)
    assert hashes.to_pylist() == [int(r["text_sha256"][:16], 16) for r in rows]
    removals = pq.read_table(derived.version / "removals.parquet").to_pylist()
    assert {r["id"]: r["replaced_by"] for r in removals} == {i: f"copy-{i}" for i in ids}
    assert verify_version(derived.version).ok


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    shards=st.lists(st.integers(min_value=0, max_value=6), min_size=1, max_size=5),
    data=st.data(),
    fmt=st.sampled_from([1, 2]),
)
def test_documents_are_the_parents_minus_the_removed_in_order(
    shards: list[int], data: st.DataObject, fmt: int
) -> None:
    ids = [[f"d{s}-{r}" for r in range(n)] for s, n in enumerate(shards)]
    flat = [i for shard in ids for i in shard]
    gone = set(data.draw(st.lists(st.sampled_from(flat), unique=True)) if flat else [])
    with tempfile.TemporaryDirectory() as tmp:
        dataset = Path(tmp)
        tiny_version(dataset, ids, fmt=fmt if fmt == 2 else None)

        def judge(row: dict[str, Any]) -> Removal | None:
            return Removal(row["id"], "requested") if row["id"] in gone else None

        derived = remove(dataset, judge)
        if not gone:
            assert derived.version is None
            return
        assert derived.version is not None
        assert [r["id"] for r in documents(derived.version)] == [i for i in flat if i not in gone]
        index = pq.read_table(derived.version / INDEX_FILE).column("text_hash").to_pylist()
        assert len(index) == len(flat) - len(gone)
        untouched = [shard for shard in ids if not set(shard) & gone]
        entries = read_manifest(derived.version)["shards"]
        assert sum(e["origin"] == "reused" for e in entries) == len(untouched)


def test_a_replacement_never_brings_a_removed_document_back(dataset: Path) -> None:
    first = remove(dataset, Selector("host", ("127.0.0.1:8001",)).judge())
    earlier = first.removals[0]["id"]

    def resurrect(
        parent: VersionView, removed: Mapping[str, Removal], judge: Judge
    ) -> list[dict[str, Any]]:
        row = pq.read_table(parent.shards[-1]).to_pylist()[0]
        return [{**row, "id": earlier, "dup_cluster_id": next(iter(removed))}]

    before = fingerprint(dataset)
    with pytest.raises(derive_module.DatasetError, match=f"bring back removed document {earlier}"):
        remove(dataset, Selector("licensor", ("Acme Ltd.",)).judge(), replace=resurrect)
    assert fingerprint(dataset) == before
