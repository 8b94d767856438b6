"""The persisted dedup index: a version's index holds its whole dataset; later versions dedup
against it and name the version that first wrote the match."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.dataset import latest_version
from pipeline.dedup import DedupConfig
from pipeline.dedup.minhash import MinHashConfig
from pipeline.dedup.version_index import INDEX_FILE, indexes_of
from pipeline.lineage import view
from pipeline.shards import ParquetShardWriter
from pipeline.versions.files import index_files
from pipeline.versions.inherit import carry, plan_carry
from tests.pipeline.dedup._fixtures import doc, edited, prose, run_dedup


def committed(dataset: Path, version: str, docs: list, config: DedupConfig | None = None) -> Path:  # type: ignore[type-arg]
    """Dedup ``docs`` as ``version`` of ``dataset`` and persist a snapshot like a build does."""
    settings = config or DedupConfig()
    latest = latest_version(dataset)
    parent = view(latest) if latest else None
    before = index_files(parent) if parent else []
    earlier = indexes_of(before, settings.minhash, settings.near)
    folder = dataset / version
    kept, step = run_dedup(folder / "scratch", [docs], config, earlier, version)
    reused = plan_carry(parent)
    shards = ParquetShardWriter(folder / "shards", first=reused.next_number, max_rows=2).write(kept)
    step.write_index(folder / INDEX_FILE, before)
    added = [
        {"path": f"shards/{s.path}", "rows": s.rows, "origin": "added", "first_version": version}
        for s in shards
    ]
    listed = [*carry(reused, folder), *added]
    manifest = {"format": 2, "version": version, "shards": listed}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def added_ids(version: Path) -> list[str]:
    return [
        i
        for path in view(version).added_shards
        for i in pq.read_table(path).column("id").to_pylist()
    ]


def test_a_later_version_drops_what_an_earlier_one_holds(tmp_path: Path) -> None:
    a, b, c = prose(1), prose(2), prose(3)
    committed(tmp_path, "v0001", [doc("a1", a), doc("b1", b)])
    v2 = committed(tmp_path, "v0002", [doc("a2", a), doc("b2", edited(b, 2)), doc("c2", c)])
    assert added_ids(v2) == ["c2"]
    assert pq.read_table(v2 / "shards").column("id").to_pylist() == ["a1", "b1", "c2"]
    assert pq.ParquetFile(v2 / INDEX_FILE).metadata.num_rows == 3
    rows = pq.read_table(v2 / "scratch" / "duplicates.parquet").to_pylist()
    assert [
        (r["id"], r["reason"], r["dedup_matched_id"], r["dedup_matched_version"]) for r in rows
    ] == [
        ("a2", "duplicate_of_earlier_version", "a1", "v0001"),
        ("b2", "duplicate_of_earlier_version", "b1", "v0001"),
    ]


def test_the_parent_index_reaches_every_earlier_version(tmp_path: Path) -> None:
    a, b = prose(1), prose(2)
    committed(tmp_path, "v0001", [doc("a1", a)])
    committed(tmp_path, "v0002", [doc("b2", b)])
    v3 = committed(tmp_path, "v0003", [doc("a3", a), doc("b3", b), doc("b3x", edited(b, 1))])
    rows = pq.read_table(v3 / "scratch" / "duplicates.parquet").to_pylist()
    assert {r["id"]: (r["dedup_matched_id"], r["dedup_matched_version"]) for r in rows} == {
        "a3": ("a1", "v0001"),
        "b3": ("b2", "v0002"),
        "b3x": ("b2", "v0002"),
    }


def test_another_minhash_layout_matches_exact_text_only(tmp_path: Path) -> None:
    a, b = prose(1), prose(2)
    committed(tmp_path, "v0001", [doc("a1", a), doc("b1", b)])
    loose = DedupConfig(minhash=MinHashConfig(bands=20, rows=5))
    v2 = committed(tmp_path, "v0002", [doc("a2", a), doc("b2", edited(b, 2))], loose)
    assert added_ids(v2) == ["b2"]
    # The parent's rows stay in the index (row i is document i); its bands of another layout
    # are nulls, which match nothing.
    index = pq.read_table(v2 / INDEX_FILE)
    assert index.num_rows == 3
    assert index.column("band_00").null_count == 2


def test_index_costs_at_most_150_bytes_per_document(tmp_path: Path) -> None:
    # Real ids are 32 hex digits of a sha256, as incompressible as hex gets.
    docs = [doc(hashlib.sha256(b"%d" % i).hexdigest()[:32], prose(i, 60)) for i in range(3000)]
    folder = committed(tmp_path, "v0001", docs)
    size = (folder / INDEX_FILE).stat().st_size
    assert pq.ParquetFile(folder / INDEX_FILE).metadata.num_rows == 3000
    print(f"index: {size / 3000:.1f} bytes per document")
    assert size / 3000 <= 150, size / 3000


def test_a_rebuild_of_the_same_inputs_adds_nothing_and_writes_no_version(tmp_path: Path) -> None:
    from pipeline import BuildConfig
    from pipeline.build import build
    from tests.pipeline.conftest import ARTICLE, make_warc

    warc = make_warc(tmp_path / "a.warc.gz", [("http://127.0.0.1:1/a", ARTICLE, 200, "text/html")])
    config = BuildConfig(
        output=tmp_path / "ds", warcs=(warc,), workers=1, third_party_training="allow"
    )
    first, second = build(config), build(config)
    assert (first.written, second.written) == (True, False)
    assert (first.documents, second.documents, second.added) == (1, 1, 0)
    assert second.version == first.version
    assert second.stats["dedup"]["dropped/duplicate_of_earlier_version"] == 1
    assert sorted(p.name for p in (tmp_path / "ds").iterdir()) == ["v0001"]
