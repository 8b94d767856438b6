"""The persisted dedup index: later versions dedup against earlier ones and name the match."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.dedup import DedupConfig
from pipeline.dedup.minhash import MinHashConfig
from pipeline.dedup.version_index import INDEX_FILE, earlier_indexes
from pipeline.shards import ParquetShardWriter
from tests.pipeline.dedup._fixtures import doc, edited, prose, run_dedup


def committed(dataset: Path, version: str, docs: list, config: DedupConfig | None = None) -> Path:  # type: ignore[type-arg]
    """Dedup ``docs`` as ``version`` of ``dataset`` and persist its index like a build does."""
    folder = dataset / version
    earlier = earlier_indexes(
        dataset, version, (config or DedupConfig()).minhash, (config or DedupConfig()).near
    )
    kept, step = run_dedup(folder / "scratch", [docs], config, earlier, version)
    shards = ParquetShardWriter(folder / "shards", max_rows=2).write(kept)
    step.write_index(folder / INDEX_FILE)
    listed = [{"path": f"shards/{s.path}", "rows": s.rows} for s in shards]
    (folder / "manifest.json").write_text(json.dumps({"version": version, "shards": listed}))
    return folder


def test_a_later_version_drops_what_an_earlier_one_holds(tmp_path: Path) -> None:
    a, b, c = prose(1), prose(2), prose(3)
    committed(tmp_path, "v0001", [doc("a1", a), doc("b1", b)])
    v2 = committed(tmp_path, "v0002", [doc("a2", a), doc("b2", edited(b, 2)), doc("c2", c)])
    assert pq.read_table(v2 / "shards").column("id").to_pylist() == ["c2"]
    assert pq.ParquetFile(v2 / INDEX_FILE).metadata.num_rows == 1
    rows = pq.read_table(v2 / "scratch" / "duplicates.parquet").to_pylist()
    assert [
        (r["id"], r["reason"], r["dedup_matched_id"], r["dedup_matched_version"]) for r in rows
    ] == [
        ("a2", "duplicate_of_earlier_version", "a1", "v0001"),
        ("b2", "duplicate_of_earlier_version", "b1", "v0001"),
    ]


def test_matches_reach_every_earlier_version(tmp_path: Path) -> None:
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
    assert pq.read_table(v2 / "shards").column("id").to_pylist() == ["b2"]


def test_index_costs_at_most_150_bytes_per_document(tmp_path: Path) -> None:
    # Real ids are 32 hex digits of a sha256, as incompressible as hex gets.
    docs = [doc(hashlib.sha256(b"%d" % i).hexdigest()[:32], prose(i, 60)) for i in range(3000)]
    folder = committed(tmp_path, "v0001", docs)
    size = (folder / INDEX_FILE).stat().st_size
    assert pq.ParquetFile(folder / INDEX_FILE).metadata.num_rows == 3000
    print(f"index: {size / 3000:.1f} bytes per document")
    assert size / 3000 <= 150, size / 3000


def test_a_rebuild_of_the_same_inputs_adds_nothing(tmp_path: Path) -> None:
    from pipeline import BuildConfig, build
    from tests.pipeline.conftest import ARTICLE, make_warc

    warc = make_warc(tmp_path / "a.warc.gz", [("http://127.0.0.1:1/a", ARTICLE, 200, "text/html")])
    config = BuildConfig(
        output=tmp_path / "ds", warcs=(warc,), workers=1, third_party_training="allow"
    )
    first, second = build(config), build(config)
    assert (first.documents, second.documents) == (1, 0)
    assert second.stats["dedup"]["dropped/duplicate_of_earlier_version"] == 1
    row = pq.read_table(second.version / "duplicates.parquet").to_pylist()[0]
    first_id = pq.read_table(first.version / "shards").column("id")[0].as_py()
    assert (row["dedup_matched_id"], row["dedup_matched_version"]) == (first_id, "v0001")
