"""Every query documented in docs/queries.md runs against a built dataset."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import BuildResult
from pipeline.sql import VIEWS, query
from tests.pipeline.built import build_small

PAGE = Path(__file__).parents[2] / "docs" / "queries.md"
QUERIES = re.findall(r"```sql\n(.*?)```", PAGE.read_text(), flags=re.S)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_small(tmp_path_factory.mktemp("queries"))


def test_the_page_documents_the_asked_for_queries() -> None:
    text = PAGE.read_text()
    for heading in ("Top domains", "Licence mix", "refused", "Opt-outs by signal", "clusters"):
        assert heading in text
    for view in VIEWS:
        assert f"`{view}`" in text
    assert len(QUERIES) >= 8


@pytest.mark.parametrize("sql", QUERIES, ids=[f"query-{i}" for i in range(len(QUERIES))])
def test_documented_query_runs(built: BuildResult, sql: str) -> None:
    columns, _ = query(built.version, sql)
    assert columns


def test_the_cluster_query_names_kept_and_dropped_copies(built: BuildResult) -> None:
    sql = next(q for q in QUERIES if "dropped_url" in q)
    columns, rows = query(built.version, sql)
    got = [dict(zip(columns, row, strict=True)) for row in rows]
    assert len(got) == 3 and all(r["kept_url"] or r["kept_source"] == "acme" for r in got)
    assert {r["reason"] for r in got} == {
        "exact_duplicate",
        "near_duplicate",
        "near_duplicate_of_licensed",
    }


@pytest.mark.parametrize("sql", [q for q in QUERIES if re.search(r"\bdecisions\b", q)])
def test_every_query_over_decisions_picks_a_stage(sql: str) -> None:
    # A URL's robots row and page row answer different questions (docs/decisions.md):
    # may_train at the robots stage only says robots.txt does not refuse training.
    assert re.search(r"\bstage\s*=\s*'(robots|page)'", sql)
