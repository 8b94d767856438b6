"""``verify`` of a snapshot: origins, first versions, the delta and the removals add up."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import BuildResult
from pipeline.build import build
from pipeline.dedup.version_index import INDEX_FILE
from pipeline.integrity import DIGEST, FILES
from pipeline.schema import REMOVAL_SCHEMA
from pipeline.verify import verify_version
from tests.pipeline.test_snapshots import config, corpus


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """v0001: corpus a (5 documents, shards of 2); v0002: plus corpus b's 2 new documents."""
    folder = tmp_path_factory.mktemp("snapshots")
    a = corpus(folder / "a", "a", [1, 2, 3, 4, 5])
    b = corpus(folder / "b", "b", [6, 7])
    results: list[BuildResult] = [build(config(folder / "ds", a))]
    results.append(build(config(folder / "ds", a, b)))
    return folder / "ds"


@pytest.fixture
def copy(dataset: Path, tmp_path: Path) -> Path:
    """A private copy of the dataset, free to damage."""
    return Path(shutil.copytree(dataset, tmp_path / "ds"))


def _edit(version: Path, change: Callable[[dict[str, Any]], None]) -> None:
    manifest = json.loads((version / "manifest.json").read_text())
    change(manifest)
    for key in (DIGEST, FILES):  # as an older manifest: only the checks of this page apply
        manifest.pop(key, None)
    (version / "manifest.json").write_text(json.dumps(manifest))


_NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _removals(version: Path, ids: list[str], removed_from: str = "v0002") -> None:
    rows = [
        {**dict.fromkeys(REMOVAL_SCHEMA.names), "id": i, "removed_from": removed_from}
        | {"reason": "requested", "source": "a", "request": "remove", "removed_at": _NOW}
        for i in ids
    ]
    pq.write_table(pa.Table.from_pylist(rows, schema=REMOVAL_SCHEMA), version / "removals.parquet")


def _ids(version: Path, shard: str) -> list[str]:
    return [str(i) for i in pq.read_table(version / shard, columns=["id"]).column("id").to_pylist()]


def _without_added(dataset: Path) -> Path:
    """v0003 as a removal would write it: v0002 minus its added shard (b's two documents)."""
    v2, v3 = dataset / "v0002", dataset / "v0003"
    shutil.copytree(v2, v3)
    gone = _ids(v3, "shards/part-00003.parquet")
    (v3 / "shards" / "part-00003.parquet").unlink()
    (v3 / "duplicates.parquet").unlink()
    index = pq.read_table(v2 / INDEX_FILE)
    pq.write_table(index.slice(0, 5), v3 / INDEX_FILE)

    def change(m: dict[str, Any]) -> None:
        m.update(version="v0003", parent="v0002", kind="remove", documents=5)
        m["shards"] = [s for s in m["shards"] if s["origin"] != "added"]
        m["delta"] = {"parent": "v0002", "added": 0, "removed": 2, "replaced": 0}
        m["dedup"] = {"index": INDEX_FILE}

    _edit(v3, change)
    _removals(v3, gone)
    return v3


def test_a_removal_that_adds_up_verifies(copy: Path) -> None:
    report = verify_version(_without_added(copy))
    assert report.ok, report.problems


def _origin(m: dict[str, Any]) -> None:
    m["shards"][0]["origin"] = "borrowed"


def _first(m: dict[str, Any]) -> None:
    m["shards"][0]["first_version"] = "v0009"


def _added_here(m: dict[str, Any]) -> None:
    m["shards"][-1]["first_version"] = "v0001"


def _delta_added(m: dict[str, Any]) -> None:
    m["delta"]["added"] = 3


def _delta_parent(m: dict[str, Any]) -> None:
    m["delta"]["parent"] = "v0007"


def _no_delta(m: dict[str, Any]) -> None:
    del m["delta"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_origin, "origin 'borrowed' is not one of added, reused, rewritten"),
        (_first, "first_version 'v0009' is no version of its lineage"),
        (_added_here, "added here but first_version says v0001"),
        (_delta_added, "delta.added: manifest says 3, files hold 2"),
        (_delta_parent, "delta.parent 'v0007' != parent 'v0001'"),
        (_no_delta, "no delta"),
    ],
)
def test_a_bad_snapshot_entry_is_named(
    copy: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    _edit(copy / "v0002", change)
    problems = verify_version(copy / "v0002").problems
    assert any(message in p for p in problems), problems


def _still_here(v3: Path) -> None:
    _removals(v3, _ids(v3, "shards/part-00000.parquet"))


def _never_there(v3: Path) -> None:
    _removals(v3, ["no-such-id", "another"])


def _wrong_parent(v3: Path) -> None:
    gone = pq.read_table(v3 / "removals.parquet").column("id").to_pylist()
    _removals(v3, [str(i) for i in gone], removed_from="v0001")


def _miscounted(v3: Path) -> None:
    _edit(v3, lambda m: m["delta"].update(removed=3))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_still_here, "removed ids still in this version: 2"),
        (_never_there, "removed ids that were not in v0002: 2"),
        (_wrong_parent, "rows whose removed_from is not v0002: 2"),
        (_miscounted, "delta.removed: manifest says 3, files hold 2"),
    ],
)
def test_a_bad_removal_is_named(copy: Path, damage: Callable[[Path], None], message: str) -> None:
    v3 = _without_added(copy)
    damage(v3)
    problems = verify_version(v3).problems
    assert any(message in p for p in problems), problems


def test_the_documents_must_be_the_parents_minus_removed_plus_added(copy: Path) -> None:
    v3 = _without_added(copy)
    _edit(v3, lambda m: m["delta"].update(removed=1))
    _removals(v3, _ids(copy / "v0002", "shards/part-00003.parquet")[:1])
    problems = verify_version(v3).problems
    assert any("documents (parent v0002: 7 - 1 removed + added)" in p for p in problems), problems
