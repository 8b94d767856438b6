"""Issue 9, item 5: ``gleaner verify`` checks everything a version holds and never raises.

Each damage the issue reproduced is a row: ``gleaner verify`` exits 1 without a
traceback and prints a line naming the file and what is wrong.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gleaner.cli import cli
from pipeline import BuildResult
from pipeline.shards import read_documents
from pipeline.verify import verify_version
from tests.pipeline.built import build_small


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_small(tmp_path_factory.mktemp("verify-all"))


@pytest.fixture
def version(built: BuildResult, tmp_path: Path) -> Path:
    """A private copy of the built version, free to damage."""
    return Path(shutil.copytree(built.version, tmp_path / "ds" / built.version.name))


def _edit_manifest(version: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    manifest = json.loads((version / "manifest.json").read_text())
    edit(manifest)
    (version / "manifest.json").write_text(json.dumps(manifest, indent=2))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def truncated_duplicates(v: Path) -> None:
    _truncate(v / "duplicates.parquet")


def empty_duplicates(v: Path) -> None:
    (v / "duplicates.parquet").write_bytes(b"")


def truncated_index(v: Path) -> None:
    _truncate(v / "index" / "dedup.parquet")


def empty_index(v: Path) -> None:
    (v / "index" / "dedup.parquet").write_bytes(b"")


def shard_entry_without_path(v: Path) -> None:
    _edit_manifest(v, lambda m: m["shards"][1].pop("path"))


def deleted_duplicates(v: Path) -> None:
    (v / "duplicates.parquet").unlink()


def truncated_stats(v: Path) -> None:
    _truncate(v / "stats" / "stats.parquet")


def deleted_exclusions(v: Path) -> None:
    shutil.rmtree(v / "exclusions")


def edited_config(v: Path) -> None:
    _edit_manifest(v, lambda m: m["config"].update(third_party_training="deny"))


def edited_created_time(v: Path) -> None:
    _edit_manifest(v, lambda m: m.update(created="2020-01-01T00:00:00+00:00"))


def edited_input_sha256(v: Path) -> None:
    _edit_manifest(v, lambda m: m["inputs"][1].update(sha256="0" * 64))


def index_one_row_short(v: Path) -> None:
    index = v / "index" / "dedup.parquet"
    table = pq.read_table(index)
    pq.write_table(table.slice(0, table.num_rows - 1), index)


DAMAGE: list[tuple[Callable[[Path], None], str]] = [
    (truncated_duplicates, "duplicates.parquet: not readable as Parquet"),
    (empty_duplicates, "duplicates.parquet: not readable as Parquet"),
    (truncated_index, "index/dedup.parquet: not readable as Parquet"),
    (empty_index, "index/dedup.parquet: not readable as Parquet"),
    (shard_entry_without_path, "manifest.json: shards[1] has no path"),
    (deleted_duplicates, "duplicates.parquet: duplicates table missing"),
    (truncated_stats, "stats/stats.parquet: not readable as Parquet"),
    (deleted_exclusions, "exclusions/00000.parquet: exclusions file missing"),
    (edited_config, "manifest.json: content digest"),
    (edited_created_time, "manifest.json: content digest"),
    (edited_input_sha256, "manifest.json: content digest"),
    (edited_input_sha256, "a.warc.gz: sha256"),
    # The index's own count first, then the shards': the message once had them swapped.
    (index_one_row_short, "index/dedup.parquet: 2 rows, the shards hold 3 documents"),
]


@pytest.mark.parametrize(
    ("damage", "message"), DAMAGE, ids=[f"{d.__name__}-{m.split(':')[0]}" for d, m in DAMAGE]
)
def test_verify_names_the_damage_without_a_traceback(
    version: Path, damage: Callable[[Path], None], message: str
) -> None:
    damage(version)
    result = CliRunner().invoke(cli, ["verify", str(version)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert any(message in line for line in result.output.splitlines()), result.output


def test_the_built_version_has_three_documents(built: BuildResult) -> None:
    # The index row-count row above relies on it.
    assert built.documents == 3


def _flip(path: Path, position: int, mask: int) -> bytes:
    original = path.read_bytes()
    damaged = bytearray(original)
    damaged[position] ^= mask
    path.write_bytes(bytes(damaged))
    return original


@pytest.fixture(scope="module")
def flip_target(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy for every flip; each example restores the shard before the next."""
    folder = tmp_path_factory.mktemp("flips") / "ds"
    return Path(shutil.copytree(built.version, folder / built.version.name))


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(fraction=st.floats(min_value=0, max_value=1, exclude_max=True), mask=st.integers(1, 255))
def test_any_single_byte_flip_in_a_shard_fails_verify_naming_it(
    flip_target: Path, fraction: float, mask: int
) -> None:
    shard = flip_target / "shards" / "part-00000.parquet"
    original = _flip(shard, int(fraction * shard.stat().st_size), mask)
    try:
        report = verify_version(flip_target)
    finally:
        shard.write_bytes(original)
    assert any(p.startswith("shards/part-00000.parquet:") for p in report.problems), report


@pytest.fixture
def own_inputs(tmp_path: Path) -> BuildResult:
    """A build whose inputs belong to this test alone, so they can be changed or deleted."""
    return build_small(tmp_path)


def test_an_input_changed_on_disk_fails(own_inputs: BuildResult, tmp_path: Path) -> None:
    warc = tmp_path / "warcs" / "b.warc.gz"
    warc.write_bytes(warc.read_bytes() + b"\0")
    report = verify_version(own_inputs.version)
    assert any("b.warc.gz: sha256" in p for p in report.problems), report.problems


def test_an_input_that_no_longer_exists_is_a_note(own_inputs: BuildResult, tmp_path: Path) -> None:
    (tmp_path / "warcs" / "b.warc.gz").unlink()
    report = verify_version(own_inputs.version)
    assert report.ok, report.problems
    assert any("b.warc.gz: no longer exists" in n for n in report.notes), report.notes


def _older_manifest(m: dict[str, Any]) -> None:
    for key in ("digest", "files"):
        m.pop(key)
    for shard in m["shards"]:
        shard.pop("bytes")


def test_a_version_written_before_digests_verifies_with_a_note(version: Path) -> None:
    _edit_manifest(version, _older_manifest)
    result = CliRunner().invoke(cli, ["verify", str(version)])
    assert result.exit_code == 0, result.output
    assert "note: written by an older gleaner; not checked: edits to the manifest" in result.output
    assert f"{version}: ok (" in result.output


def test_an_older_version_still_names_a_deleted_exclusions_file(version: Path) -> None:
    _edit_manifest(version, _older_manifest)
    deleted_exclusions(version)
    problems = verify_version(version).problems
    assert any("exclusions/00000.parquet: exclusions file missing" in p for p in problems)


def test_a_fresh_build_verifies_with_nothing_to_note(built: BuildResult) -> None:
    report = verify_version(built.version)
    assert report.ok, report.problems
    assert report.notes == []


def _page_bytes(shard: Path) -> list[int]:
    """Every byte position inside a column chunk (its pages) of the shard."""
    metadata = pq.ParquetFile(shard).metadata
    positions = []
    for group in range(metadata.num_row_groups):
        for column in range(metadata.num_columns):
            chunk = metadata.row_group(group).column(column)
            start = chunk.dictionary_page_offset or chunk.data_page_offset
            positions.extend(range(start, start + chunk.total_compressed_size))
    return positions


def test_a_flip_in_a_shards_pages_never_reads_back_as_altered_text(version: Path) -> None:
    # Seeded, so a failure names a position that fails again.
    shard = version / "shards" / "part-00000.parquet"
    expected = [d.text for d in read_documents(shard)]
    rng = random.Random(9)
    altered = []
    for position in rng.sample(_page_bytes(shard), 150):
        original = _flip(shard, position, rng.randrange(1, 256))
        try:
            texts = [d.text for d in read_documents(shard)]
        except Exception:  # the reader refusing the page is the point
            texts = expected
        finally:
            shard.write_bytes(original)
        if texts != expected:
            altered.append(position)
    assert altered == []


WRONG_SHAPES: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("shard_rows_as_text", lambda m: m["shards"][0].update(rows="two")),
    ("shard_entry_a_string", lambda m: m["shards"].__setitem__(0, "shards/part-00000.parquet")),
    ("stats_a_list", lambda m: m.update(stats=[])),
    ("dedup_a_string", lambda m: m.update(dedup="index/dedup.parquet")),
    ("inputs_entry_a_number", lambda m: m["inputs"].__setitem__(0, 7)),
    ("files_a_mapping", lambda m: m.update(files={"a": 1})),
]


@pytest.mark.parametrize(("name", "edit"), WRONG_SHAPES, ids=[n for n, _ in WRONG_SHAPES])
def test_a_manifest_of_the_wrong_shape_is_reported_not_raised(
    version: Path, name: str, edit: Callable[[dict[str, Any]], None]
) -> None:
    _edit_manifest(version, edit)
    result = CliRunner().invoke(cli, ["verify", str(version)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit), result.exception
    assert "manifest.json: content digest" in result.output
