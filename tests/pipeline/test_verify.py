"""``verify``: a good version passes; each kind of damage is named."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from pipeline import BuildResult
from pipeline.integrity import manifest_digest
from pipeline.schema import DUPLICATE_SCHEMA, FORMER_DUPLICATE_SCHEMA
from pipeline.shards import file_sha256
from pipeline.verify import verify_version
from tests.pipeline.built import build_small


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_small(tmp_path_factory.mktemp("verify"))


@pytest.fixture
def version(built: BuildResult, tmp_path: Path) -> Path:
    """A private copy of the built version, free to damage."""
    return Path(shutil.copytree(built.version, tmp_path / "ds" / built.version.name))


def _manifest(version: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((version / "manifest.json").read_text())


def _save(version: Path, manifest: dict) -> None:  # type: ignore[type-arg]
    (version / "manifest.json").write_text(json.dumps(manifest))


def _relist(version: Path, shard: str) -> None:
    manifest = _manifest(version)
    for entry in manifest["shards"]:
        if entry["path"] == shard:
            entry["sha256"] = file_sha256(version / shard)
            entry["rows"] = pq.ParquetFile(version / shard).metadata.num_rows
    _save(version, manifest)


def remove_manifest(v: Path) -> None:
    (v / "manifest.json").unlink()


def garble_manifest(v: Path) -> None:
    (v / "manifest.json").write_text("{not json")


def remove_shard(v: Path) -> None:
    (v / "shards" / "part-00001.parquet").unlink()


def flip_a_byte(v: Path) -> None:
    path = v / "shards" / "part-00000.parquet"
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))


def miscount_rows(v: Path) -> None:
    manifest = _manifest(v)
    manifest["shards"][0]["rows"] += 1
    _save(v, manifest)


def miscount_documents(v: Path) -> None:
    manifest = _manifest(v)
    manifest["documents"] += 5
    _save(v, manifest)


def stray_shard(v: Path) -> None:
    shutil.copy(v / "shards" / "part-00000.parquet", v / "shards" / "part-00009.parquet")


def inferred_schema(v: Path) -> None:
    table = pq.read_table(v / "shards" / "part-00001.parquet")
    pq.write_table(pa.Table.from_pylist(table.to_pylist()), v / "shards" / "part-00001.parquet")
    _relist(v, "shards/part-00001.parquet")


def repeated_id(v: Path) -> None:
    first = pq.read_table(v / "shards" / "part-00000.parquet")
    pq.write_table(first.slice(0, 1), v / "shards" / "part-00001.parquet")
    _relist(v, "shards/part-00001.parquet")


def stats_off(v: Path) -> None:
    manifest = _manifest(v)
    manifest["stats"]["dedup"]["total"] += 1
    _save(v, manifest)


def remove_index(v: Path) -> None:
    (v / "index" / "dedup.parquet").unlink()


def former_duplicates(v: Path, columns: list[str] | None = None) -> None:
    """Rewrite duplicates.parquet as versions before it carried rows wrote it (relisted)."""
    path = v / "duplicates.parquet"
    columns = columns or FORMER_DUPLICATE_SCHEMA.names
    pq.write_table(pq.read_table(path, columns=columns), path)
    manifest = _manifest(v)
    for entry in manifest["files"]:
        if entry["path"] == "duplicates.parquet":
            entry.update(bytes=path.stat().st_size, sha256=file_sha256(path))
    manifest["digest"] = manifest_digest(manifest)
    _save(v, manifest)


def duplicates_without_text(v: Path) -> None:
    former_duplicates(v, [n for n in DUPLICATE_SCHEMA.names if n != "text"])


DAMAGE: list[tuple[Callable[[Path], None], str]] = [
    (remove_manifest, "manifest missing"),
    (garble_manifest, "manifest unreadable"),
    (remove_shard, "part-00001.parquet: shard missing"),
    (flip_a_byte, "part-00000.parquet: sha256"),
    (miscount_rows, "part-00000.parquet rows: manifest says"),
    (miscount_documents, "documents: manifest says"),
    (stray_shard, "part-00009.parquet: shard not listed"),
    (inferred_schema, "part-00001.parquet: schema differs"),
    (repeated_id, "rows share it"),
    (stats_off, "stats dedup/total"),
    (remove_index, "dedup index missing"),
    (duplicates_without_text, "duplicates.parquet: schema differs"),
]


def test_a_fresh_build_verifies(built: BuildResult) -> None:
    report = verify_version(built.version)
    assert report.ok, report.problems
    assert "unique ids" in report.checked and "stats" in report.checked


@pytest.mark.parametrize(("damage", "message"), DAMAGE, ids=[d.__name__ for d, _ in DAMAGE])
def test_damage_is_named(version: Path, damage: Callable[[Path], None], message: str) -> None:
    damage(version)
    problems = verify_version(version).problems
    assert any(message in p for p in problems), problems


def test_a_former_duplicates_table_verifies(version: Path) -> None:
    former_duplicates(version)
    report = verify_version(version)
    assert report.ok, report.problems
    assert "duplicates.parquet" in report.checked


def test_cli_exits_1_and_names_the_mismatch(version: Path) -> None:
    ok = CliRunner().invoke(cli, ["verify", str(version.parent), "--version", version.name])
    assert ok.exit_code == 0 and "ok" in ok.output
    remove_shard(version)
    bad = CliRunner().invoke(cli, ["verify", str(version.parent)])
    assert bad.exit_code == 1
    assert "part-00001.parquet: shard missing" in bad.output
