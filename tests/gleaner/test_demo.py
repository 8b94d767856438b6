"""The demo flow end to end, judged against the example web's own ground truth and logs."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest

from gleaner.demo import DemoResult, run_demo
from gleaner.demo_refresh import LATE_PUBLISHER
from gleaner.demo_tokens import TOKENS_DIR
from gleaner.exampleweb import EXPECTED
from gleaner.samples import example_web_duplicates
from pipeline.sql import connect
from record.schema import DOCUMENT_SCHEMA


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    return run_demo(tmp_path_factory.mktemp("demo") / "out", workers=2, quiet=True)


def url(demo: DemoResult, publisher: str, path: str) -> str:
    return demo.base_urls[publisher] + path


def shard_urls(demo: DemoResult) -> set[str]:
    con = connect(demo.build.version)
    return {u for (u,) in con.execute("SELECT url FROM documents WHERE url IS NOT NULL").fetchall()}


def test_no_document_comes_from_a_url_that_may_not_be_trained_on(demo: DemoResult) -> None:
    con = connect(demo.build.version)
    leaked = con.execute(
        "SELECT d.url FROM documents d JOIN decisions x ON d.warc_record_id = x.warc_record_id "
        "WHERE x.stage = 'page' AND NOT x.may_train"
    ).fetchall()
    assert leaked == []
    orphans = con.execute(
        "SELECT url FROM documents WHERE source = 'web' AND warc_record_id NOT IN "
        "(SELECT warc_record_id FROM decisions WHERE stage = 'page' AND may_train)"
    ).fetchall()
    assert orphans == []


@pytest.mark.parametrize(
    "signal", ["robots_training_token", "x_robots_tag", "meta_robots", "tdmrep", "content_usage"]
)
def test_every_planted_opt_out_stays_out_of_the_shards(demo: DemoResult, signal: str) -> None:
    planted = {url(demo, ref.publisher, ref.path) for ref in EXPECTED.optouts(signal)}  # type: ignore[arg-type]
    assert planted, f"the example web plants {signal} opt-outs"
    assert not planted & shard_urls(demo)
    con = connect(demo.build.version)
    logged = {
        u
        for (u,) in con.execute(
            "SELECT url FROM decisions WHERE stage = 'page' AND NOT may_train"
        ).fetchall()
    }
    assert planted <= logged


def test_no_robots_disallowed_url_was_ever_requested(demo: DemoResult) -> None:
    requested: dict[str, set[str]] = defaultdict(set)
    for entry in demo.requests:
        requested[entry.publisher].add(entry.path.split("?")[0])
    for name, truth in EXPECTED.publishers.items():
        assert not truth.crawl_disallowed & requested[name], name
    assert requested["down"] == {"/robots.txt"}, "robots.txt answers 503: nothing else is fetched"
    assert requested["open"] >= {"/robots.txt", "/"}


def test_requests_are_polite_and_identified(demo: DemoResult) -> None:
    times: dict[str, list[float]] = defaultdict(list)
    for entry in demo.requests:
        assert "Gleaner" in entry.user_agent and "http" in entry.user_agent
        times[entry.publisher].append(entry.time)
    for name, stamps in times.items():
        stamps.sort()
        gaps = [b - a for a, b in pairwise(stamps)]
        floor = max(1.0, EXPECTED.publishers[name].crawl_delay or 0)
        # The example web stamps a request when its handler starts, before it answers; the
        # crawler restarts a host's delay when the answer begins (crawler.pacing) and the next
        # request is stamped after it arrives. So two stamps are at least the delay apart, under
        # any load; 1 ms covers time.time() resolution and clock slewing (<= 0.5 ms a second).
        assert not gaps or min(gaps) >= floor - 0.001, (name, min(gaps))


def test_the_calendar_trap_is_bounded(demo: DemoResult) -> None:
    calendar = [e for e in demo.requests if e.publisher == "calendar"]
    assert 0 < len(calendar) <= 65


def test_shards_read_back_with_the_declared_schema(demo: DemoResult) -> None:
    shards = sorted((demo.build.version / "shards").glob("*.parquet"))
    assert shards
    for shard in shards:
        assert pq.read_schema(shard).equals(DOCUMENT_SCHEMA)
    rows = duckdb.sql(f"SELECT count(*) FROM read_parquet('{demo.build.version}/shards/*.parquet')")
    assert (
        rows.fetchall()[0][0] == demo.build.documents == pq.ParquetDataset(shards).read().num_rows
    )


def test_licensed_copies_win_dedup(demo: DemoResult) -> None:
    duplicates = example_web_duplicates()
    assert duplicates
    urls = shard_urls(demo)
    for dup in duplicates:
        assert url(demo, dup.page.publisher, dup.page.path) not in urls
    assert demo.build.stats["dedup"]["dropped/duplicate_of_licensed"] == len(duplicates)


def test_the_funnel_adds_up(demo: DemoResult) -> None:
    f, stats = demo.funnel, demo.build.stats
    assert f.count("URLs considered") == f.count("refused before fetch") + f.count("fetched")
    decided = f.count("opted out of training") + f.count("cleared for training")
    assert f.count("fetched") == decided + f.count("not read")
    chain = ("language", "repetition", "quality", "c4", "fineweb", "pii", "dedup")
    for step in ("read_warc", "consent", "extract", *chain):
        counts = stats[step]
        assert counts["total"] == counts.get("kept", 0) + counts.get("dropped", 0), step
    assert stats["consent"]["total"] == stats["read_warc"]["kept"]
    assert stats["extract"]["total"] == stats["consent"]["kept"]
    assert stats["language"]["total"] == stats["extract"]["kept"] + stats["read_licensed"]["kept"]
    for before, after in pairwise(chain):
        assert stats[after]["total"] == stats[before]["kept"], after
    assert f.count("documents kept") == stats["dedup"]["kept"] == demo.build.documents
    opted_out_in_build = sum(
        v for k, v in stats["consent"].items() if k.startswith("dropped/opt_out")
    )
    assert opted_out_in_build == f.count("opted out of training")


def test_every_document_traces_to_its_decision(demo: DemoResult) -> None:
    con = connect(demo.build.version)
    rows = con.execute(
        "SELECT d.robots_sha256 = x.robots_sha256, d.training_signal = x.training_signal "
        "FROM documents d JOIN decisions x USING (warc_record_id) WHERE x.stage = 'page'"
    ).fetchall()
    assert rows and all(a and b for a, b in rows)
    assert con.execute(
        "SELECT count(*) FROM documents WHERE source = 'web' "
        "AND (robots_sha256 IS NULL OR decided_at IS NULL)"
    ).fetchall() == [(0,)]


def test_example_queries_run(demo: DemoResult, tmp_path: Path) -> None:
    from pipeline.sql import EXAMPLE_QUERIES, query

    for statement in EXAMPLE_QUERIES.values():
        columns, rows = query(demo.build.version, statement)
        assert columns and rows


def test_planted_near_duplicates_keep_one_copy(demo: DemoResult) -> None:
    con = connect(demo.build.version)
    cleared = {
        u
        for (u,) in con.execute(
            "SELECT url FROM decisions WHERE stage = 'page' AND may_train"
        ).fetchall()
    }
    # The crawl is time-bounded: count the pairs of which both pages were fetched.
    pairs = [{url(demo, ref.publisher, ref.path) for ref in p} for p in EXPECTED.near_duplicates]
    both = [pair for pair in pairs if pair <= cleared]
    assert both
    urls = shard_urls(demo)
    for pair in both:
        assert len(pair & urls) == 1, sorted(pair & urls)
    assert demo.build.stats["dedup"]["dropped/near_duplicate"] == len(both)


def test_every_dropped_duplicate_names_the_document_it_matched(demo: DemoResult) -> None:
    version = demo.build.version
    dropped = pq.read_table(version / "duplicates.parquet").to_pylist()
    assert len(dropped) == demo.build.stats["dedup"]["dropped"]
    con = connect(version)
    kept = {i for (i,) in con.execute("SELECT id FROM documents").fetchall()}
    for row in dropped:
        assert row["dedup_matched_version"] == version.name
        assert row["dedup_matched_id"] in kept
        assert row["dedup_matched_id"] == row["dup_cluster_id"]
    sizes = con.execute(
        "SELECT dup_cluster_size FROM documents WHERE id IN "
        f"({', '.join(repr(r['dedup_matched_id']) for r in dropped)})"
    ).fetchall()
    assert sizes and all(size >= 2 for (size,) in sizes)


def test_the_demo_records_its_example_web_for_asking_again(demo: DemoResult) -> None:
    import json

    from gleaner.demo import EXAMPLE_WEB_FILE

    recorded = demo.build.version.parents[2] / EXAMPLE_WEB_FILE
    assert json.loads(recorded.read_text(encoding="utf-8")) == demo.base_urls


def test_the_demo_writes_a_report_that_names_every_publisher(demo: DemoResult) -> None:
    assert demo.report == demo.build.version.parents[2] / "report.html"
    page = demo.report.read_text(encoding="utf-8")
    for base in demo.base_urls.values():
        assert base.split("//")[1].rstrip("/") in page, base
    # The report is of the latest version: the one the late opt-out's refresh wrote.
    assert demo.refresh is not None and demo.refresh.derived.version is not None
    assert f"Dataset demo, {demo.refresh.derived.version.name}" in page
    assert "opt_out/robots_training_token" in page  # the refresh's removals, by reason


def test_the_report_funnel_is_the_build_funnel(demo: DemoResult) -> None:
    from pipeline.report import report_data

    consent, f = report_data(demo.build.version).consent, demo.funnel
    assert consent.considered == f.count("URLs considered")
    assert consent.fetched == f.count("fetched")
    assert consent.cleared == f.count("cleared for training")
    assert sum(n for _, n in consent.opted_out) == f.count("opted out of training")
    assert sum(n for _, n in consent.refused) == f.count("refused before fetch")


def test_the_demo_report_opens_in_chromium(demo: DemoResult, tmp_path: Path) -> None:
    from tests.gleaner.browser import load_page, require_chromium

    require_chromium()
    load = load_page(demo.report, tmp_path / "demo-report.png")
    load.assert_clean()
    assert "robots_training_token" in load.text  # an opt-out signal, named


def test_the_late_opt_out_takes_back_exactly_that_publishers_documents(demo: DemoResult) -> None:
    assert demo.refresh is not None and demo.refresh.derived.version is not None
    base = demo.base_urls[LATE_PUBLISHER] + "/"
    con = connect(demo.build.version)
    rows = con.execute("SELECT id, url FROM documents WHERE url IS NOT NULL").fetchall()
    late = {doc_id for doc_id, doc_url in rows if doc_url.startswith(base)}
    assert late
    removals = demo.refresh.derived.removals
    assert {r["id"] for r in removals} == late
    assert {r["reason"] for r in removals} == {"opt_out/robots_training_token"}


def test_the_token_shards_follow_the_late_opt_out(demo: DemoResult) -> None:
    assert demo.tokens is not None and demo.refresh is not None
    latest = demo.refresh.derived.version
    assert latest is not None and demo.tokens["version"] == latest.name
    assert demo.tokens["updated_from"]["version"] == demo.build.version.name
    out = demo.build.version.parents[2] / TOKENS_DIR
    index = pq.read_table(out / "index").to_pydict()
    kept = connect(latest).execute("SELECT id FROM documents").fetchall()
    # Every document of the new version once (no weights: one copy), none of the removed.
    assert sorted(index["id"]) == sorted(doc_id for (doc_id,) in kept)
    assert not {r["id"] for r in demo.refresh.derived.removals} & set(index["id"])
    assert {"train", "val"} == set(index["split"])
    # One end-of-text token per document, in the Megatron files the index points at.
    for split in ("train", "val"):
        tokens = np.fromfile(out / f"{split}.bin", dtype=demo.tokens["dtype"])
        assert int((tokens == 0).sum()) == index["split"].count(split)
