"""The report's numbers, checked against the version's own files by plain SQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import BuildResult
from pipeline.report import ReportData, report_data
from pipeline.sql import query
from tests.pipeline.built import build_small
from tests.pipeline.report.made import hand_made_removal


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_small(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def data(built: BuildResult) -> ReportData:
    return report_data(built.version)


def _one(version: Path, sql: str) -> object:
    return query(version, sql)[1][0][0]


def test_composition_adds_up_to_the_version(built: BuildResult, data: ReportData) -> None:
    c = data.composition
    assert c.documents == built.documents == _one(built.version, "SELECT count(*) FROM documents")
    assert c.words == _one(built.version, "SELECT sum(words) FROM documents")
    for shares in (c.by_source, c.by_licence, c.by_language, c.by_domain):
        assert sum(s.documents for s in shares) == c.documents
        assert [s.documents for s in shares] == sorted((s.documents for s in shares), reverse=True)


@pytest.mark.parametrize(
    ("shares", "label"),
    [
        ("by_licence", "web (consented)"),
        ("by_source", "web"),
        ("by_language", "en"),
        ("by_domain", "127.0.0.1"),
    ],
)
def test_each_breakdown_names_its_groups(data: ReportData, shares: str, label: str) -> None:
    assert label in {s.label for s in getattr(data.composition, shares)}


def test_licensed_documents_are_grouped_by_licensor(data: ReportData) -> None:
    licensed = [s for s in data.composition.by_domain if s.label.startswith("licensed: ")]
    assert licensed and sum(s.documents for s in licensed) == sum(
        n for _, _, n, _ in data.composition.licences
    )


def test_the_filter_funnel_runs_in_build_order(data: ReportData) -> None:
    steps = [s.step for s in data.filters]
    assert steps[0].startswith("read") and steps[-1] == "dedup"
    assert data.filters[-1].kept == data.composition.documents


def test_duplicates_are_counted_by_reason(built: BuildResult, data: ReportData) -> None:
    reasons = {reason for _, reason, _, _ in data.duplicates}
    assert reasons == {"exact_duplicate", "near_duplicate", "near_duplicate_of_licensed"}
    total = sum(n for *_, n in data.duplicates)
    assert total == _one(built.version, "SELECT count(*) FROM duplicates")


def test_a_build_from_archives_alone_has_an_empty_consent_funnel(data: ReportData) -> None:
    assert data.consent.considered == 0 and data.consent.hosts == ()
    assert data.crawl_runs == ()


@pytest.fixture(scope="module")
def removal(built: BuildResult) -> Path:
    return hand_made_removal(built.version)


def test_versions_show_size_and_removals_across_the_lineage(
    built: BuildResult, removal: Path
) -> None:
    data = report_data(removal)
    first, second = data.versions
    assert (first.name, first.kind, first.documents, first.added) == (
        "v0001",
        "build",
        built.documents,
        built.documents,
    )
    assert (second.name, second.kind, second.documents) == ("v0002", "remove", built.documents - 1)
    assert (second.added, second.removed) == (0, 1)
    assert data.removals == (("v0002", "requested", 1),)
    assert data.composition.documents == built.documents  # the hand-made shards kept every row


def test_the_filter_funnel_sums_the_lineage_builds(data: ReportData, removal: Path) -> None:
    assert report_data(removal).filters == data.filters  # a removal ran no filter


def test_a_derived_removal_version_reads_with_its_delta(built: BuildResult, tmp_path: Path) -> None:
    import shutil

    from pipeline.versions.derive import derive_version
    from pipeline.versions.select import Selector

    dataset = tmp_path / "ds"
    shutil.copytree(built.version, dataset / "v0001")
    judge = Selector("host", ("127.0.0.1:1",)).judge()
    derive_version(dataset, judge, kind="remove", request="remove", note="mail")
    data = report_data(dataset / "v0002")
    assert data.versions[-1].kind == "remove" and data.versions[-1].removed >= 1
    assert data.composition.documents == data.versions[-1].documents == built.documents - 1
    assert data.removals == (("v0002", "requested", data.versions[-1].removed),)
