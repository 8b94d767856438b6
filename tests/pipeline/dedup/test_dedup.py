"""Dedup: exact, URL and near-duplicate clusters, survivor priority, counted reasons."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.dedup import Dedup, DedupConfig, UnionFind, dedup_config_from
from pipeline.dedup.minhash import MinHashConfig
from pipeline.errors import ConfigError
from pipeline.shards import document_to_row
from record.schema import DOCUMENT_SCHEMA
from tests.pipeline.dedup._fixtures import doc, edited, prose, run_dedup, work_files

A, B = prose(1), prose(2)

# (groups of (id, text, source, url) per work file, kept ids, reason counts)
CASES = [
    pytest.param([[("a", A, "web", None), ("b", B, "web", None)]], ["a", "b"], {}, id="distinct"),
    pytest.param(
        [[("a", A, "web", None), ("b", A.upper(), "web", None)]],
        ["a"],
        {"exact_duplicate": 1},
        id="exact-after-normalising",
    ),
    pytest.param(
        [[("lic", A, "acme", None)], [("w", A, "web", None)]],
        ["lic"],
        {"duplicate_of_licensed": 1},
        id="licensed-exact-wins",
    ),
    pytest.param(
        [[("w", edited(A, 2), "web", None)], [("lic", A, "acme", None)]],
        ["lic"],
        {"near_duplicate_of_licensed": 1},
        id="licensed-near-wins-even-when-later",
    ),
    pytest.param(
        [[("a", A, "web", None), ("b", edited(A, 2), "web", None)]],
        ["a"],
        {"near_duplicate": 1},
        id="near",
    ),
    pytest.param(
        [[("a", A, "web", "http://x.test/p"), ("b", B, "web", "http://x.test/p")]],
        ["a"],
        {"url_duplicate": 1},
        id="same-url",
    ),
    pytest.param(
        [[("a", A, "web", None), ("b", edited(A, 40), "web", None)]],
        ["a", "b"],
        {},
        id="far-edit-is-not-a-duplicate",
    ),
]


@pytest.mark.parametrize(("groups", "kept", "reasons"), CASES)
def test_dedup_keeps_and_counts(
    tmp_path: Path,
    groups: list[list[tuple[str, str, str, str | None]]],
    kept: list[str],
    reasons: dict[str, int],
) -> None:
    docs = [[doc(i, text, source, url) for i, text, source, url in g] for g in groups]
    out, step = run_dedup(tmp_path, docs)
    assert [d.id for d in out] == kept
    dropped = {k[8:]: v for k, v in step.stats.as_dict().items() if k.startswith("dropped/")}
    assert dropped == reasons
    rows = pq.read_table(tmp_path / "duplicates.parquet").to_pylist() if reasons else []
    assert sorted(r["reason"] for r in rows) == sorted(
        r for r, n in reasons.items() for _ in range(n)
    )
    assert all(
        r["dedup_matched_id"] in kept and r["dedup_matched_version"] == "v0001" for r in rows
    )


def test_cluster_id_and_size_follow_the_survivor(tmp_path: Path) -> None:
    docs = [doc("a", A), doc("b", edited(A, 1)), doc("c", A), doc("d", B)]
    out, _ = run_dedup(tmp_path, [docs])
    assert [(d.id, d.dup_cluster_id, d.dup_cluster_size) for d in out] == [
        ("a", "a", 3),
        ("d", "d", 1),
    ]


@pytest.mark.parametrize(
    ("prefer", "survivor"),
    [((), "short"), (("longer",), "long"), (("shorter",), "short"), (("newer",), "long")],
)
def test_survivor_priority_is_configurable(
    tmp_path: Path, prefer: tuple[str, ...], survivor: str
) -> None:
    from datetime import date

    short, long = doc("short", A), doc("long", A + " " + " ".join(["tail"] * 3))
    short.published_at, long.published_at = date(2020, 1, 1), date(2024, 1, 1)
    out, _ = run_dedup(tmp_path, [[short, long]], DedupConfig(prefer=prefer))
    assert [d.id for d in out] == [survivor]


def test_near_dedup_can_be_switched_off(tmp_path: Path) -> None:
    docs = [doc("a", A), doc("b", edited(A, 2)), doc("c", A)]
    out, step = run_dedup(tmp_path, [docs], DedupConfig(near=False))
    assert [d.id for d in out] == ["a", "b"]
    assert step.stats.as_dict()["dropped/exact_duplicate"] == 1


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ({}, DedupConfig()),
        ({"preset": "strict"}, DedupConfig(minhash=MinHashConfig(bands=9, rows=13))),
        ({"bands": 20, "rows": 5}, DedupConfig(minhash=MinHashConfig(bands=20, rows=5))),
        ({"prefer": ["quality", "longer"]}, DedupConfig(prefer=("quality", "longer"))),
    ],
)
def test_dedup_config_from_toml_tables(table: dict[str, object], expected: DedupConfig) -> None:
    assert dedup_config_from(table) == expected


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"preset": "nope"}, "preset"),
        ({"prefer": ["bigger"]}, "prefer"),
        ({"x": 1}, "unknown"),
        ({"confirm": "maybe"}, "confirm"),
        ({"jaccard": 0}, "jaccard"),
    ],
)
def test_bad_dedup_config_is_refused(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        dedup_config_from(table)


def test_union_find_merges_chains_in_one_batch() -> None:
    forest = UnionFind(6)
    forest.union(np.array([4, 3, 1], dtype=np.int64), np.array([5, 4, 3], dtype=np.int64))
    assert forest.roots().tolist() == [0, 1, 2, 1, 1, 1]


texts = st.sampled_from([A, B, A.upper(), edited(A, 2), edited(B, 1), prose(3), prose(4)])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(texts, st.booleans()), min_size=1, max_size=8))
def test_dedup_is_idempotent(items: list[tuple[str, bool]]) -> None:
    docs = [doc(f"d{i}", t, "acme" if lic else "web") for i, (t, lic) in enumerate(items)]
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        once, _ = run_dedup(Path(first), [docs])
        twice, _ = run_dedup(Path(second), [once])
    assert [d.id for d in twice] == [d.id for d in once]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 19), st.integers(0, 19)), max_size=40))
def test_union_find_matches_a_plain_one(edges: list[tuple[int, int]]) -> None:
    forest = UnionFind(20)
    if edges:
        pairs = np.array(edges, dtype=np.int64)
        forest.union(pairs[:, 0], pairs[:, 1])
    plain = list(range(20))

    def find(x: int) -> int:
        while plain[x] != x:
            x = plain[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        plain[max(ra, rb)] = min(ra, rb)
    assert forest.roots().tolist() == [find(x) for x in range(20)]


def test_signature_agreement_confirms_candidates(tmp_path: Path) -> None:
    from pipeline.dedup.confirm_signatures import SignatureStore

    first = np.array([[1, 2, 3, 4], [1, 2, 3, 9]], dtype=np.uint64)
    second = np.array([[1, 2, 7, 8]], dtype=np.uint64)
    np.save(tmp_path / "a.npy", first)
    np.save(tmp_path / "b.npy", second)
    store = SignatureStore([tmp_path / "a.npy", tmp_path / "b.npy"])
    pairs = np.array([[0, 1], [0, 2], [1, 2]], dtype=np.int64)
    assert store.similarity(pairs).tolist() == [0.75, 0.5, 0.5]


def test_clusters_span_work_files_under_a_small_memory_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.dedup.step._PARALLEL_FROM", 0)  # key files in 2 processes
    bases = [prose(100 + i, 120) for i in range(60)]
    groups = [
        [doc(f"f{f}-{i}", edited(t, f, seed=f) if f else t) for i, t in enumerate(bases)]
        for f in range(3)
    ]
    config = DedupConfig(memory_limit="64MB")
    out, step = run_dedup(tmp_path, groups, config, workers=2)
    assert [d.id for d in out] == [f"f0-{i}" for i in range(60)]
    assert {d.dup_cluster_size for d in out} == {3}
    assert step.stats.as_dict()["dropped/near_duplicate"] == 120


def test_build_toml_carries_a_dedup_table(tmp_path: Path) -> None:
    from pipeline.config import load_build_config

    toml = tmp_path / "build.toml"
    toml.write_text(
        'output = "ds"\n[inputs]\nwarcs = ["w"]\n'
        '[dedup]\npreset = "strict"\nprefer = ["longer"]\njaccard = 0.9\n'
    )
    config = load_build_config(toml)
    assert config.dedup == DedupConfig(
        minhash=MinHashConfig(bands=9, rows=13), prefer=("longer",), jaccard=0.9
    )
    assert config.to_json()["dedup"]["minhash"]["bands"] == 9


@pytest.mark.parametrize(
    ("confirm", "jaccard", "kept"),
    [
        ("exact", 0.8, ["a"]),
        ("signature", 0.8, ["a"]),
        ("none", 0.8, ["a"]),
        ("exact", 0.99, ["a", "b"]),
        ("signature", 1.0, ["a", "b"]),
    ],
)
def test_candidates_are_confirmed_as_configured(
    tmp_path: Path, confirm: str, jaccard: float, kept: list[str]
) -> None:
    docs = [doc("a", A), doc("b", edited(A, 2))]
    out, _ = run_dedup(tmp_path, [docs], DedupConfig(confirm=confirm, jaccard=jaccard))
    assert [d.id for d in out] == kept


def test_exact_shingle_store_measures_jaccard(tmp_path: Path) -> None:
    from pipeline.dedup.confirm_shingles import ShingleJob, ShingleStore, write_shingles
    from tests.pipeline.dedup._fixtures import work_files

    texts = ["a b c d e f", "a b c d e g", "x y z w v u", "unread"]
    first, second = work_files(tmp_path, [[doc(str(i), t) for i, t in enumerate(texts)]] * 2)
    docs = [np.array([0, 1], dtype=np.int64), np.array([6], dtype=np.int64)]  # 6: "x y z ..."
    stored = [
        write_shingles(ShingleJob(path, start, wanted, tmp_path / f"s{start}.npy", ngram=5))
        for path, start, wanted in [(first, 0, docs[0]), (second, 4, docs[1])]
    ]
    store = ShingleStore(stored)
    pairs = np.array([[0, 1], [0, 6], [6, 6]], dtype=np.int64)
    assert store.similarity(pairs).tolist() == [1 / 3, 0.0, 1.0]
    with pytest.raises(KeyError):
        store.similarity(np.array([[0, 3]], dtype=np.int64))  # doc 3 was not wanted


@pytest.mark.parametrize(("groups", "kept", "reasons"), CASES)
def test_tables_give_the_rows_and_counts_documents_do(
    tmp_path: Path,
    groups: list[list[tuple[str, str, str, str | None]]],
    kept: list[str],
    reasons: dict[str, int],
) -> None:
    docs = [[doc(i, text, source, url) for i, text, source, url in g] for g in groups]
    out, by_docs = run_dedup(tmp_path / "docs", docs)
    paths = work_files(tmp_path / "tables", docs)
    duplicates = tmp_path / "tables" / "duplicates.parquet"
    by_tables = Dedup(paths, scratch=tmp_path / "scratch", duplicates=duplicates)
    tables = list(by_tables.tables())
    rows = [row for table in tables for row in table.to_pylist()]
    assert rows == [document_to_row(d) for d in out]
    assert all(table.schema == DOCUMENT_SCHEMA for table in tables)
    counts = by_tables.stats.as_dict()
    assert counts.pop("time_ms") >= 0  # the step's own time, in the manifest like any step's
    assert counts == by_docs.stats.as_dict()
    before = pq.read_table(tmp_path / "docs" / "duplicates.parquet")
    assert pq.read_table(duplicates).equals(before)
