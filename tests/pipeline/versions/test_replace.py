"""A removed survivor's place goes to an eligible member of its duplicate cluster.

The dataset (built once): v0001 holds web page ``/a`` (its exact copy ``/copy`` and near
copy ``/near`` dropped), licensed ``acme/0`` (the crawled ``/b`` dropped as its near copy)
and licensed ``acme/1`` (no copy). v0002 adds a licensed corpus ``beta`` whose copy of
``/a``'s text is dropped as a duplicate of the earlier version.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from pipeline import BuildConfig
from pipeline.build import build
from pipeline.dataset import resolve_version
from pipeline.dedup.version_index import INDEX_FILE
from pipeline.lineage import VersionView, read_manifest, view
from pipeline.schema import FORMER_DUPLICATE_SCHEMA
from pipeline.sites import SiteCapture, SiteSignals
from pipeline.verify import verify_version
from pipeline.versions.derive import Derived, Judge, Removal, derive_version
from pipeline.versions.replace import Replacements, replace_survivors
from pipeline.versions.select import expired
from record.schema import DOCUMENT_SCHEMA
from tests.pipeline.built import build_small
from tests.pipeline.conftest import ARTICLE
from tests.pipeline.test_build import licensed_corpus

FRESH = (
    "The orchard behind the mill was planted by the miller's grandfather, and every autumn the "
    "village gathered there to press cider, the children climbing the old trees for the last "
    "apples while the adults argued about whether this year's barrels would beat the last."
)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("replace")
    build_small(folder)
    article = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", ARTICLE.split("<article>")[1])).strip()
    beta = licensed_corpus(folder / "beta", [article, FRESH])
    beta.write_text(beta.read_text().replace('name = "acme"', 'name = "beta"'))
    build(BuildConfig(output=folder / "ds", licensed=(beta,), workers=1))
    return folder / "ds"


def names(snapshot: VersionView) -> dict[str, str]:
    """Short names of every document the dataset ever saw (``/a``, ``acme/0``) -> id."""
    tables = [*snapshot.shards, *(path for _, path in snapshot.history("duplicates.parquet"))]
    return {_short(row): row["id"] for path in tables for row in pq.read_table(path).to_pylist()}


def _short(row: dict[str, Any]) -> str:
    if row["url"]:
        return "/" + row["url"].rsplit("/", 1)[1]
    return f"{row['source']}/{row.get('licensed_row')}"


def refusing(*ids: str) -> Judge:
    def judge(row: dict[str, Any]) -> Removal | None:
        assert "text" not in row  # judged on provenance and signals, as the engine does
        return Removal(row["id"], "opt_out/test") if row["id"] in ids else None

    return judge


def replace(
    snapshot: VersionView, removed: list[str], refused: tuple[str, ...] = ()
) -> Replacements:
    ids = names(snapshot)
    return replace_survivors(
        snapshot,
        {ids[n]: Removal(ids[n], "requested") for n in removed},
        refusing(*(ids[n] for n in refused)),
    )


def short_name(snapshot: VersionView, row: dict[str, Any]) -> str:
    return {i: n for n, i in names(snapshot).items()}[row["id"]]


CASES = [
    pytest.param(["/a"], (), ["/copy"], {}, id="first-copy-in-build-order"),
    pytest.param(["/a"], ("/copy",), ["/near"], {"refused": 1}, id="copy-itself-opted-out"),
    pytest.param(["/a"], ("/copy", "/near"), [], {"refused": 2}, id="every-copy-opted-out"),
    pytest.param(["/a", "/copy"], (), ["/near"], {"removed_now": 1}, id="copy-removed-too"),
    pytest.param(["acme/0"], (), ["/b"], {}, id="licensed-survivor-web-copy"),
    pytest.param(["acme/1"], (), [], {}, id="no-cluster"),
    pytest.param(["/copy"], (), [], {}, id="not-a-survivor"),
]


@pytest.mark.parametrize(("removed", "refused", "expected", "skipped"), CASES)
def test_who_takes_the_removed_survivors_place(
    dataset: Path,
    removed: list[str],
    refused: tuple[str, ...],
    expected: list[str],
    skipped: dict[str, int],
) -> None:
    snapshot = view(dataset / "v0001")
    result = replace(snapshot, removed, refused)
    assert [short_name(snapshot, r) for r in result] == expected
    assert dict(result.skipped) == skipped


def test_the_replacement_is_its_own_row_in_the_removed_survivors_cluster(dataset: Path) -> None:
    snapshot = view(dataset / "v0001")
    ids = names(snapshot)
    (row,) = replace(snapshot, ["/a"])
    dropped = pq.read_table(dataset / "v0001" / "duplicates.parquet").to_pylist()
    original = next(r for r in dropped if r["id"] == ids["/copy"])
    assert list(row) == DOCUMENT_SCHEMA.names
    assert (row["dup_cluster_id"], row["dup_cluster_size"]) == (ids["/a"], 2)
    unchanged = [n for n in DOCUMENT_SCHEMA.names if not n.startswith("dup_cluster")]
    assert {n: row[n] for n in unchanged} == {n: original[n] for n in unchanged}
    assert pa.Table.from_pylist([row], DOCUMENT_SCHEMA).num_rows == 1


def test_a_licensed_copy_wins_over_earlier_web_copies(dataset: Path) -> None:
    snapshot = view(dataset / "v0002")
    (row,) = replace(snapshot, ["/a"])
    assert short_name(snapshot, row) == "beta/0"
    assert row["dup_cluster_size"] == 3
    assert replace(snapshot, ["/a"]) == [row]  # deterministic


@pytest.fixture
def copied(dataset: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(dataset, tmp_path / "ds"))


def test_a_copy_removed_before_is_never_brought_back(copied: Path) -> None:
    snapshot = view(copied / "v0002")
    ids = names(snapshot)
    pq.write_table(pa.table({"id": [ids["beta/0"]]}), copied / "v0002" / "removals.parquet")
    result = replace(view(copied / "v0002"), ["/a"])
    assert [short_name(snapshot, r) for r in result] == ["/copy"]
    assert dict(result.skipped) == {"removed_before": 1}


def test_members_of_tables_without_rows_are_skipped_and_counted(copied: Path) -> None:
    path = copied / "v0001" / "duplicates.parquet"
    pq.write_table(pq.read_table(path, columns=FORMER_DUPLICATE_SCHEMA.names), path)
    result = replace(view(copied / "v0001"), ["/a"])
    assert result == []
    assert dict(result.skipped) == {"no_text": 2}


# End to end: the removal engine with this hook, on the dataset above.


def remove_ids(dataset: Path, *ids: str) -> Derived:
    def judge(row: dict[str, Any]) -> Removal | None:
        return Removal(row["id"], "requested") if row["id"] in ids else None

    return derive_version(
        dataset, judge, kind="remove", request="remove", replace=replace_survivors
    )


def test_removing_a_survivor_puts_its_replacement_in_the_new_version(copied: Path) -> None:
    ids = names(view(copied / "v0002"))
    derived = remove_ids(copied, ids["/a"])
    assert derived.version is not None and derived.added == 1
    rows = [r for shard in view(derived.version).shards for r in pq.read_table(shard).to_pylist()]
    held = {r["id"]: r for r in rows}
    assert ids["/a"] not in held
    assert (held[ids["beta/0"]]["dup_cluster_id"], held[ids["beta/0"]]["dup_cluster_size"]) == (
        ids["/a"],
        3,
    )
    (removal,) = pq.read_table(derived.version / "removals.parquet").to_pylist()
    assert (removal["id"], removal["replaced_by"]) == (ids["/a"], ids["beta/0"])
    assert pq.ParquetFile(derived.version / INDEX_FILE).metadata.num_rows == len(rows)
    report = verify_version(derived.version)
    assert report.ok, report.problems
    assert CliRunner().invoke(cli, ["verify", str(copied)]).exit_code == 0
    assert read_manifest(derived.version)["stats"]["replace"] == {"added": 1}


def test_members_skipped_for_want_of_text_are_counted_in_the_manifest(copied: Path) -> None:
    for folder in ("v0001", "v0002"):  # tables written before duplicates kept their rows
        path = copied / folder / "duplicates.parquet"
        pq.write_table(pq.read_table(path, columns=FORMER_DUPLICATE_SCHEMA.names), path)
    derived = remove_ids(copied, names(view(copied / "v0002"))["/a"])
    assert derived.version is not None and derived.added == 0
    replace_stats = read_manifest(derived.version)["stats"]["replace"]
    assert replace_stats["added"] == 0 and replace_stats["skipped/no_text"] >= 2


def test_a_replacement_removed_in_turn_is_replaced_from_further_down_the_chain(
    copied: Path,
) -> None:
    ids = names(view(copied / "v0002"))
    remove_ids(copied, ids["/a"])
    derived = remove_ids(copied, ids["beta/0"])
    assert derived.version is not None
    (removal,) = pq.read_table(derived.version / "removals.parquet").to_pylist()
    assert removal["replaced_by"] == ids["/copy"]
    assert verify_version(derived.version).ok


def test_gleaner_remove_replaces_the_survivor_and_says_so(copied: Path) -> None:
    ids = names(view(copied / "v0002"))
    args = ["remove", str(copied), "--id", ids["/a"], "--reason", "mail of 2026-11-30"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 duplicate(s) took the place of removed survivors" in result.output
    (removal,) = pq.read_table(copied / "v0003" / "removals.parquet").to_pylist()
    assert removal["replaced_by"] == ids["beta/0"]


def test_a_cluster_that_still_has_a_document_in_the_version_gets_none(copied: Path) -> None:
    ids = names(view(copied / "v0002"))
    remove_ids(copied, ids["/a"])  # beta/0 now holds the cluster's place
    result = replace_survivors(
        view(copied / "v0003"), {ids["/copy"]: Removal(ids["/copy"], "requested")}, refusing()
    )
    assert result == [] and not result.skipped


def test_a_later_build_of_the_same_inputs_does_not_bring_the_removed_one_back(
    copied: Path, dataset: Path
) -> None:
    ids = names(view(copied / "v0002"))
    remove_ids(copied, ids["/a"])
    build_small(dataset.parent, output=copied)  # adds nothing: no version, or one without it
    latest = view(resolve_version(copied))
    held = {
        i for shard in latest.shards for i in pq.read_table(shard, columns=["id"])["id"].to_pylist()
    }
    assert ids["/a"] not in held and ids["beta/0"] in held


def _opt_out(dataset: Path, authority: str) -> None:
    """A refresh found ``authority`` refusing the training token (its pages are duplicates,
    so no document is removed: only the capture joins the dataset)."""
    refusal = SiteCapture(
        "robots",
        authority,
        datetime.now(UTC),
        200,
        b"User-agent: Gleaner-Extended\nDisallow: /\n",
        "refresh",
    )
    derived = derive_version(
        dataset,
        lambda row: None,
        kind="refresh",
        request="optout refresh",
        sites=SiteSignals([refusal]),
    )
    assert derived.version is not None and not derived.removals


def test_an_expired_licence_never_brings_back_a_copy_whose_publisher_opted_out(
    copied: Path,
) -> None:
    _opt_out(copied, "http://127.0.0.1:2")
    derived = derive_version(
        copied,
        expired(date(2100, 1, 1)),
        kind="expire",
        request="expire",
        replace=replace_survivors,
    )
    assert derived.version is not None
    ids = names(view(copied / "v0002"))
    assert ids["/b"] not in _held_ids(derived.version)  # the web copy of the expired text
    assert read_manifest(derived.version)["stats"]["replace"]["skipped/opted_out"] == 1


def test_a_standing_request_keeps_its_copies_out(copied: Path) -> None:
    ids = names(view(copied / "v0002"))
    # A request naming every page under http://127.0.0.1:2/ (here recorded with the removal
    # of another document: /b itself was never in, being the licensed text's duplicate).
    asked = derive_version(
        copied,
        lambda row: Removal(row["id"], "requested") if row["id"] == ids["acme/1"] else None,
        kind="remove",
        request="remove",
        standing={"kind": "url_prefix", "values": ["http://127.0.0.1:2/"]},
    )
    assert asked.version is not None
    derived = derive_version(
        copied,
        expired(date(2100, 1, 1)),
        kind="expire",
        request="expire",
        replace=replace_survivors,
    )
    assert derived.version is not None
    assert ids["/b"] not in _held_ids(derived.version)
    assert read_manifest(derived.version)["stats"]["replace"]["skipped/requested_out"] == 1


def _held_ids(version: Path) -> set[str]:
    shards = view(version).shards
    return {r["id"] for s in shards for r in pq.read_table(s, columns=["id"]).to_pylist()}
