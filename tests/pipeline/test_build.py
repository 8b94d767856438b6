"""The build end to end on small real inputs: third-party WARCs plus a licensed corpus."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline import BuildConfig
from pipeline.build import build, plan_units
from pipeline.errors import ConfigError, EmptyBuild, InputError
from pipeline.executor import run_units
from pipeline.licensed import slices
from pipeline.resume import start_or_resume
from pipeline.shards import file_sha256
from record.schema import DOCUMENT_SCHEMA

MANIFEST = """\
[corpus]
name = "acme"
licensor = "Acme Ltd."
license = "LicenseRef-Acme-1"
training_allowed = true
valid_from = 2026-01-01
valid_until = {until}
attribution = "Courtesy of Acme"
[[files]]
path = "docs.jsonl"
[files.fields]
text = "text"
id = "id"
"""


def licensed_corpus(folder: Path, texts: list[str], until: str = "2030-01-01") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"id": f"d{i}", "text": t}) for i, t in enumerate(texts)]
    (folder / "docs.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "manifest.toml").write_text(MANIFEST.format(until=until))
    return folder / "manifest.toml"


def extracted_text(warcs: Path, tmp_path: Path) -> str:
    result = build(
        BuildConfig(
            output=tmp_path / "probe", warcs=(warcs,), workers=1, third_party_training="allow"
        )
    )
    rows = duckdb.sql(
        f"SELECT text FROM read_parquet('{result.version}/shards/*.parquet') WHERE url LIKE '%/a'"
    ).fetchall()
    return str(rows[0][0])


def test_third_party_pages_with_no_signal_follow_the_default(warcs: Path, tmp_path: Path) -> None:
    config = BuildConfig(output=tmp_path / "deny", warcs=(warcs,), workers=1)
    with pytest.raises(
        EmptyBuild, match=r"every document was left out \(consent/opt_out/unknown: 3"
    ):
        build(config)
    assert not (tmp_path / "deny").exists() or not any((tmp_path / "deny").iterdir())
    denied = build(replace(config, allow_empty=True))
    assert denied.documents == 0
    assert denied.stats["consent"]["dropped/opt_out/unknown"] == 3
    allowed = build(
        BuildConfig(
            output=tmp_path / "allow", warcs=(warcs,), workers=2, third_party_training="allow"
        )
    )
    assert allowed.documents == 2  # the exact copy of /a is gone
    assert allowed.stats["dedup"]["dropped/exact_duplicate"] == 1


def test_licensed_copy_wins_and_carries_its_licence(warcs: Path, tmp_path: Path) -> None:
    text = extracted_text(warcs, tmp_path)
    manifest = licensed_corpus(tmp_path / "corpus", [text, "A licensed note of its own."])
    result = build(
        BuildConfig(
            output=tmp_path / "ds",
            warcs=(warcs,),
            licensed=(manifest,),
            workers=2,
            third_party_training="allow",
        )
    )
    con = duckdb.connect()
    shards = f"read_parquet('{result.version}/shards/*.parquet')"
    rows = con.execute(
        f"SELECT source, license, url, dup_cluster_size FROM {shards} ORDER BY source, url"
    ).fetchall()
    assert ("acme", "LicenseRef-Acme-1", None, 3) in rows  # web /a and /copy lost to it
    assert all(url is None or not url.endswith(("/a", "/copy")) for _, _, url, _ in rows)
    assert result.stats["dedup"]["dropped/duplicate_of_licensed"] == 2


def test_expired_licence_is_left_out_with_a_reason(warcs: Path, tmp_path: Path) -> None:
    manifest = licensed_corpus(tmp_path / "old", ["Old text."], until="2020-01-01")
    config = BuildConfig(output=tmp_path / "ds", licensed=(manifest,), workers=1)
    with pytest.raises(
        EmptyBuild, match=rf"every input was left out \({manifest}: licence_expired"
    ):
        build(config)
    assert not (tmp_path / "ds").exists()
    result = build(replace(config, allow_empty=True))
    assert result.documents == 0
    assert result.excluded == [{"input": str(manifest), "reason": "licence_expired"}]


def test_versions_are_immutable_folders_with_a_manifest(warcs: Path, tmp_path: Path) -> None:
    config = BuildConfig(
        output=tmp_path / "ds",
        warcs=(warcs,),
        workers=1,
        third_party_training="allow",
        allow_empty=True,  # the second build adds nothing; write its version all the same
    )
    first, second = build(config), build(config)
    assert (first.version.name, second.version.name) == ("v0001", "v0002")
    manifest = json.loads((second.version / "manifest.json").read_text())
    assert (manifest["parent"], manifest["format"], manifest["kind"]) == ("v0001", 2, "build")
    assert [i["path"] for i in manifest["inputs"]] == sorted(
        str(p.resolve()) for p in warcs.glob("*")
    )
    for shard in manifest["shards"]:
        path = second.version / shard["path"]
        assert pq.read_schema(path).equals(DOCUMENT_SCHEMA)
        assert pq.ParquetFile(path).metadata.num_rows == shard["rows"]
    assert not list(tmp_path.glob("ds/.building-*")), "no staging folder is left behind"
    assert not (second.version / "work").exists()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ConfigError, "no inputs"),
        (
            {"warcs": (Path("/nonexistent/warcs"),)},
            InputError,
            "/nonexistent/warcs: WARC input not found",
        ),
        ({"warcs": (Path("."),), "workers": 0}, ConfigError, r"workers \(0\)"),
        ({"warcs": (Path("."),), "third_party_training": "maybe"}, ConfigError, "'maybe'"),
    ],
)
def test_bad_configs_fail_at_startup(
    tmp_path: Path, kwargs: dict, error: type, message: str
) -> None:  # type: ignore[type-arg]
    with pytest.raises(error, match=message):
        build(BuildConfig(output=tmp_path / "ds", **kwargs))


def _archive(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"WARC/1.0\r\n")  # planning looks at names only
    return path


@pytest.mark.parametrize(
    ("crawls", "warcs", "names"),
    [
        ([], ["cc"], ["cc/2024/x.warc.gz", "cc/y.arc.gz"]),
        ([], ["cc/y.arc.gz"], ["y.arc.gz"]),
        ([], ["a/example.arc.gz", "b/example.arc.gz"], ["a/example.arc.gz", "b/example.arc.gz"]),
        (["runs/r1"], [], ["r1/warc/x.warc.gz"]),
        (["runs/r1", "runs/r2"], [], ["r1/warc/x.warc.gz", "r2/warc/x.warc.gz"]),
        (["runs/r1"], ["cc/y.arc.gz"], ["runs/r1/warc/x.warc.gz", "cc/y.arc.gz"]),
    ],
)
def test_archives_are_named_by_their_path_among_the_inputs(
    tmp_path: Path, crawls: list[str], warcs: list[str], names: list[str]
) -> None:
    for name in ("cc/2024/x.warc.gz", "cc/y.arc.gz", "a/example.arc.gz", "b/example.arc.gz"):
        _archive(tmp_path / name)
    for run in ("runs/r1", "runs/r2"):
        _archive(tmp_path / run / "warc" / "x.warc.gz")
    config = BuildConfig(
        output=tmp_path / "ds",
        crawls=tuple(tmp_path / c for c in crawls),
        warcs=tuple(tmp_path / w for w in warcs),
        workers=1,
    )
    units, _ = plan_units(config)
    assert [unit.warc_file for unit in units] == names


def test_the_manifest_lists_every_file_an_input_was_read_from(warcs: Path, tmp_path: Path) -> None:
    corpus = licensed_corpus(tmp_path / "corpus", ["A licensed text."])
    config = BuildConfig(output=tmp_path / "ds", warcs=(warcs,), licensed=(corpus,), workers=1)
    manifest = json.loads((build(config).version / "manifest.json").read_text())
    licensed, warc = manifest["inputs"][:2]  # licensed first, then a.warc.gz
    assert [f["path"] for f in licensed["files"]] == [
        str(corpus.resolve()),
        str((corpus.parent / "docs.jsonl").resolve()),
    ]
    assert warc["warc_file"] == "warcs/a.warc.gz"
    assert warc["files"] == [
        {
            "path": warc["path"],
            "bytes": warc["bytes"],
            "sha256": file_sha256(warcs / "a.warc.gz"),
        }
    ]


def _shard_hashes(folder: Path) -> list[str]:
    return [file_sha256(p) for p in sorted(folder.glob("shards/*.parquet"))]


def test_a_large_corpus_is_read_as_slices_and_builds_the_same_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [f"Licensed document number {i} says something of its own, {i * 7}." for i in range(11)]
    texts += [texts[2], texts[5].upper()]  # duplicates across slices
    manifest = licensed_corpus(tmp_path / "corpus", texts)

    def built(name: str, workers: int, **extra: object) -> Path:
        config = BuildConfig(output=tmp_path / name, licensed=(manifest,), workers=workers, **extra)
        return build(config).version

    whole = built("whole", 1)
    monkeypatch.setattr(slices, "UNIT_ROWS", 4)
    units, _ = plan_units(BuildConfig(output=tmp_path / "x", licensed=(manifest,)))
    assert [(u.rows.first, u.rows.stop) for u in units if u.rows] == [
        (0, 4),
        (4, 8),
        (8, 12),
        (12, 13),
    ]
    for workers in (1, 2):
        split = built(f"split-{workers}", workers)
        assert _shard_hashes(split) == _shard_hashes(whole)
        assert len(list((split / "completions").glob("*.json"))) == 4
        manifest_json = json.loads((split / "manifest.json").read_text())
        assert len(manifest_json["inputs"]) == 1  # one corpus, whatever its slices
        dedup = manifest_json["stats"]["dedup"]
        assert dedup["dropped/exact_duplicate"] == 2 and dedup["time_ms"] >= 0


def test_a_killed_build_of_a_split_corpus_resumes_by_slice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = licensed_corpus(
        tmp_path / "corpus", [f"Text {i} of its own kind." for i in range(9)]
    )
    monkeypatch.setattr(slices, "UNIT_ROWS", 3)
    config = BuildConfig(output=tmp_path / "ds", licensed=(manifest,), workers=1)
    fresh = build(replace(config, output=tmp_path / "fresh"))
    units, _ = plan_units(config)
    staging = start_or_resume(config, units).staging
    run_units(units[:2], config, staging / "work")  # killed after two of three slices
    before = (staging / "completions" / "00001.json").stat().st_mtime_ns
    resumed = build(replace(config, resume=True))
    assert (resumed.version / "completions" / "00001.json").stat().st_mtime_ns == before
    assert _shard_hashes(resumed.version) == _shard_hashes(fresh.version)
