"""A version is a snapshot: the whole dataset at that point, its parent's shards carried over.

The spec of ``gleaner build`` over versions: what a second build writes (or does not), how the
parent's shards, index, captures and crawl runs carry over, and how a dataset written as
increments (format 1) reads and grows.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from pipeline import BuildConfig, BuildResult
from pipeline.build import build
from pipeline.dedup.version_index import INDEX_FILE
from pipeline.lineage import view
from pipeline.sites import SITES_FILE, SiteCapture, SiteSignals
from pipeline.sql import query
from pipeline.verify import verify_version
from tests.pipeline.dedup._fixtures import prose

FORMAT1 = Path(__file__).parents[1] / "data" / "datasets" / "format1"

CORPUS = """\
[corpus]
name = "{name}"
licensor = "Acme Ltd."
license = "LicenseRef-Acme-1"
training_allowed = true
valid_from = 2026-01-01
valid_until = 2030-01-01
[[files]]
path = "docs.jsonl"
[files.fields]
text = "text"
id = "id"
"""


def corpus(folder: Path, name: str, seeds: list[int]) -> Path:
    """A licensed corpus ``name`` of one distinct text per seed (the same seed, the same text)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = [json.dumps({"id": f"d{s}", "text": prose(s)}) for s in seeds]
    (folder / "docs.jsonl").write_text("\n".join(rows) + "\n")
    (folder / "manifest.toml").write_text(CORPUS.format(name=name))
    return folder / "manifest.toml"


def config(dataset: Path, *corpora: Path, allow_empty: bool = False) -> BuildConfig:
    return BuildConfig(
        output=dataset, licensed=corpora, workers=1, max_rows_per_shard=2, allow_empty=allow_empty
    )


def ids(files: tuple[Path, ...] | list[Path]) -> list[str]:
    """``corpus:row`` of every document in ``files``."""
    return [
        f"{r['source']}:{r['licensed_row']}"
        for f in files
        for r in pq.read_table(f, columns=["source", "licensed_row"]).to_pylist()
    ]


def manifest(version: Path) -> dict:  # type: ignore[type-arg]
    return dict(json.loads((version / "manifest.json").read_text()))


@pytest.fixture
def two_builds(tmp_path: Path) -> tuple[BuildResult, BuildResult]:
    """v0001 from corpus a (5 documents), v0002 from a plus b (b: 2 new and 1 copy of a's)."""
    a = corpus(tmp_path / "a", "a", [1, 2, 3, 4, 5])
    b = corpus(tmp_path / "b", "b", [6, 7, 1])
    first = build(config(tmp_path / "ds", a))
    return first, build(config(tmp_path / "ds", a, b))


def test_a_second_build_holds_the_parent_and_what_it_adds(
    two_builds: tuple[BuildResult, BuildResult],
) -> None:
    first, second = two_builds
    assert (first.version.name, second.version.name) == ("v0001", "v0002")
    assert (second.documents, second.added) == (7, 2)
    snapshot = view(second.version)
    assert sorted(ids(snapshot.shards)) == sorted([*ids(view(first.version).shards), "b:0", "b:1"])
    assert sorted(ids(snapshot.added_shards)) == ["b:0", "b:1"]
    listed = manifest(second.version)
    assert (listed["format"], listed["kind"], listed["parent"]) == (2, "build", "v0001")
    assert listed["documents"] == 7
    assert listed["delta"] == {"parent": "v0001", "added": 2, "removed": 0, "replaced": 0}
    assert [(s["path"], s["origin"], s["first_version"]) for s in listed["shards"]] == [
        ("shards/part-00000.parquet", "reused", "v0001"),
        ("shards/part-00001.parquet", "reused", "v0001"),
        ("shards/part-00002.parquet", "reused", "v0001"),
        ("shards/part-00003.parquet", "added", "v0002"),
    ]


def test_the_parents_shards_are_the_same_files(
    two_builds: tuple[BuildResult, BuildResult],
) -> None:
    first, second = two_builds
    for shard in manifest(first.version)["shards"]:
        old, new = first.version / shard["path"], second.version / shard["path"]
        assert os.stat(old).st_ino == os.stat(new).st_ino


def test_the_index_keys_every_document_in_shard_order(
    two_builds: tuple[BuildResult, BuildResult],
) -> None:
    _, second = two_builds
    index = pq.read_table(second.version / INDEX_FILE)
    documents = query(second.version, "SELECT count(*) FROM documents")[1][0][0]
    assert index.num_rows == documents == 7
    # The parent's rows come first, unchanged; then the added documents' keys.
    parent = pq.read_table(two_builds[0].version / INDEX_FILE)
    assert index.slice(0, 5).column("text_hash").equals(parent.column("text_hash"))


def test_the_copy_of_a_parent_document_is_a_duplicate_naming_it(
    two_builds: tuple[BuildResult, BuildResult],
) -> None:
    _, second = two_builds
    sql = (
        "SELECT a.source || ':' || a.licensed_row, d.dedup_matched_version FROM duplicates d "
        "JOIN documents a ON a.id = d.dedup_matched_id WHERE d.source = 'b'"
    )
    # b's row 2 is a's row 0, found in the index of v0001 (the version that first wrote it).
    assert query(second.version, sql)[1] == [("a:0", "v0001")]


@pytest.mark.parametrize(
    ("sql", "v0001", "v0002"),
    [
        ("SELECT count(*) FROM documents", 5, 7),
        ("SELECT count(*) FROM added", 5, 2),
        ("SELECT count(*) FROM removed", 0, 0),
        ("SELECT count(*) FROM duplicates", 0, 6),
    ],
)
def test_sql_answers_from_the_version_asked_for(
    two_builds: tuple[BuildResult, BuildResult], sql: str, v0001: int, v0002: int
) -> None:
    dataset = two_builds[1].version.parent
    assert query(dataset, sql, version="v0001")[1] == [(v0001,)]
    assert query(dataset, sql)[1] == [(v0002,)]


def test_every_snapshot_verifies(two_builds: tuple[BuildResult, BuildResult]) -> None:
    for result in two_builds:
        report = verify_version(result.version)
        assert report.ok, report.problems
        assert "snapshot" in report.checked


def test_a_rebuild_of_the_same_inputs_writes_nothing_and_says_so(tmp_path: Path) -> None:
    a = corpus(tmp_path / "a", "a", [1, 2, 3])
    args = ["build", "--licensed", str(a), "--output", str(tmp_path / "ds"), "--workers", "1"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1].endswith("v0001: 3 documents (3 added) in 1 shard(s)")
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines() == [
        "nothing new: every document is already in v0001 (3 duplicates); no version written"
    ]
    assert [p.name for p in (tmp_path / "ds").iterdir()] == ["v0001"]


def test_allow_empty_writes_a_version_that_adds_nothing(tmp_path: Path) -> None:
    a = corpus(tmp_path / "a", "a", [1, 2, 3])
    build(config(tmp_path / "ds", a))
    second = build(config(tmp_path / "ds", a, allow_empty=True))
    assert (second.version.name, second.documents, second.added) == ("v0002", 3, 0)
    assert manifest(second.version)["delta"]["added"] == 0
    assert verify_version(second.version).ok


def test_the_parents_captures_govern_later_builds(tmp_path: Path) -> None:
    a = corpus(tmp_path / "a", "a", [1])
    first = build(config(tmp_path / "ds", a))
    # As a refresh would: a newer capture recorded in a version of the dataset.
    later = SiteCapture("robots", "http://127.0.0.1:9/", None, 200, b"User-agent: *\n", "refresh")
    sites = first.version / SITES_FILE
    SiteSignals([*SiteSignals.load(sites).captures, later]).save(sites)
    second = build(config(tmp_path / "ds", a, corpus(tmp_path / "b", "b", [2])))
    known = SiteSignals.load(second.version / SITES_FILE)
    assert later in known.captures


def test_crawl_runs_carry_over(tmp_path: Path) -> None:
    a = corpus(tmp_path / "a", "a", [1])
    first = build(config(tmp_path / "ds", a))
    listed = manifest(first.version)
    assert listed["crawl_runs"] == []
    second = build(config(tmp_path / "ds", a, corpus(tmp_path / "b", "b", [2])))
    assert manifest(second.version)["crawl_runs"] == []


@pytest.fixture
def format1(tmp_path: Path) -> Path:
    """A copy of the format-1 fixture (two increments: 5 then 3 documents)."""
    dataset = tmp_path / "format1"
    shutil.copytree(FORMAT1, dataset)
    return dataset


@pytest.mark.parametrize(("version", "documents", "added"), [("v0001", 5, 5), ("v0002", 8, 3)])
def test_a_format1_dataset_reads_as_snapshots(
    format1: Path, version: str, documents: int, added: int
) -> None:
    sql = "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM added)"
    assert query(format1, sql, version=version)[1] == [(documents, added)]
    assert verify_version(format1 / version).ok


def test_a_build_on_a_format1_dataset_writes_a_snapshot_of_everything(
    format1: Path, tmp_path: Path
) -> None:
    new = corpus(tmp_path / "c", "c", [11, 12])
    result = build(config(format1, new))
    listed = manifest(result.version)
    assert (result.version.name, listed["format"], listed["parent"]) == ("v0003", 2, "v0002")
    assert (result.documents, result.added) == (10, 2)
    # v0001's and v0002's shards were both part-00000: the second is carried under a new number.
    assert [(s["path"], s["origin"], s["first_version"]) for s in listed["shards"]] == [
        ("shards/part-00000.parquet", "reused", "v0001"),
        ("shards/part-00001.parquet", "reused", "v0001"),
        ("shards/part-00002.parquet", "reused", "v0002"),
        ("shards/part-00003.parquet", "added", "v0003"),
    ]
    assert sorted(ids(view(result.version).shards)) == sorted(
        [*ids(view(format1 / "v0002").shards), "c:0", "c:1"]
    )
    assert pq.ParquetFile(result.version / INDEX_FILE).metadata.num_rows == 10
    report = verify_version(result.version)
    assert report.ok, report.problems


def test_a_rebuild_of_a_format1_input_finds_nothing_new(format1: Path) -> None:
    # The fixture's corpora are gone; its documents come back from its own shards.
    docs = [r for f in view(format1 / "v0002").shards for r in pq.read_table(f).to_pylist()]
    folder = format1.parent / "again"
    folder.mkdir()
    (folder / "docs.jsonl").write_text(
        "\n".join(json.dumps({"id": f"r{i}", "text": d["text"]}) for i, d in enumerate(docs))
    )
    (folder / "manifest.toml").write_text(CORPUS.format(name="again"))
    result = build(config(format1, folder / "manifest.toml"))
    assert (result.written, result.version.name, result.documents) == (False, "v0002", 8)


@pytest.mark.parametrize(
    ("verb", "args"),
    [("sql", ["--version", "v0009", "SELECT 1"]), ("verify", ["--version", "v0009"])],
)
def test_an_unknown_version_is_one_line(format1: Path, verb: str, args: list[str]) -> None:
    result = CliRunner().invoke(cli, [verb, str(format1), *args])
    assert result.exit_code == 1
    assert result.output == f"Error: {format1 / 'v0009'}: no such version\n"


def test_sql_version_on_the_command_line(format1: Path) -> None:
    args = ["sql", str(format1), "--version", "v0001", "--format", "csv"]
    result = CliRunner().invoke(cli, [*args, "SELECT count(*) AS n FROM documents"])
    assert (result.exit_code, result.stdout) == (0, "n\n5\n")


def test_the_funnel_counts_this_build_and_then_the_version(
    two_builds: tuple[BuildResult, BuildResult],
) -> None:
    from pipeline.funnel import funnel

    first, second = funnel(two_builds[0].version), funnel(two_builds[1].version)
    assert first.count("documents kept") == 5
    assert [r.label for r in first.rows][-1] == "documents kept"
    assert second.count("documents kept") == 2
    assert second.count("documents in the version (earlier versions' included)") == 7


def test_a_removed_document_stays_out_of_later_builds(tmp_path: Path) -> None:
    a = corpus(tmp_path / "a", "a", [1, 2, 3])
    first = build(config(tmp_path / "ds", a))
    gone = ids_of(first.version)[0]
    args = ["remove", str(tmp_path / "ds"), "--id", gone, "--reason", "mail of 2026-12-01"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    again = build(config(tmp_path / "ds", a, corpus(tmp_path / "b", "b", [4])))
    assert again.version.name == "v0003"
    assert again.stats["withdrawn"]["dropped/removed_earlier"] == 1
    assert gone not in ids_of(again.version)
    assert (again.documents, again.added) == (3, 1)
    reasons = query(again.version, "SELECT step, reason FROM exclusions WHERE version = 'v0003'")
    assert reasons[1] == [("withdrawn", "removed_earlier")]


def ids_of(version: Path) -> list[str]:
    return [
        str(i)
        for f in view(version).shards
        for i in pq.read_table(f, columns=["id"])["id"].to_pylist()
    ]
