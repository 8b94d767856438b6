"""The audit of one publisher, on a real crawl of the example web and a build of it."""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.audit import SECTIONS, Publisher, PublisherAudit, audit_publisher
from pipeline.errors import DatasetError
from tests.pipeline.audit.crawled import Crawled, crawl_and_build


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Crawled:
    return crawl_and_build(tmp_path_factory.mktemp("audit"))


def audit_of(crawled: Crawled, publisher: str) -> PublisherAudit:
    return audit_publisher(crawled.dataset, Publisher.host(crawled.hosts[publisher]))


def robots_body(crawled: Crawled, publisher: str) -> bytes:
    [(body,)] = duckdb.sql(
        f"SELECT body FROM read_parquet('{crawled.dataset}/v0001/consent/sites.parquet') "
        f"WHERE authority = 'http://{crawled.hosts[publisher]}' AND kind = 'robots'"
    ).fetchall()
    return bytes(body)


def test_the_robots_fetch_has_its_digest_and_the_rules_for_both_tokens(crawled: Crawled) -> None:
    [fetch] = audit_of(crawled, "extended").robots_fetches
    assert fetch["sha256"] == hashlib.sha256(robots_body(crawled, "extended")).hexdigest()
    assert (fetch["status"], fetch["outcome"], fetch["run"]) == (200, "parsed", str(crawled.run))
    crawl, training = fetch["rules"]
    assert (crawl["role"], crawl["token"]) == ("crawl", "Gleaner")
    assert (training["role"], training["token"]) == ("training", "Gleaner-Extended")
    assert training["group"].startswith("User-agent: Gleaner-Extended")
    assert [line.split(": ", 1)[1] for line in training["lines"]] == [
        "Disallow: /members/",
        "Disallow: /premium/",
    ]


def test_every_document_names_the_decision_that_admitted_it(crawled: Crawled) -> None:
    audit = audit_of(crawled, "extended")
    assert audit.documents
    for doc in audit.documents:
        assert doc["url"].startswith(f"http://{crawled.hosts['extended']}/")
        assert (doc["versions"], doc["first_version"]) == (["v0001"], "v0001")
        decision = doc["admitted_by"]
        assert decision is not None and decision["stage"] == "page"
        assert decision["robots_sha256"] == audit.robots_fetches[0]["sha256"]
    assert audit.summary()["documents_in_version"] == len(audit.documents)


def test_a_training_opt_out_shows_its_refusals_with_rule_and_evidence(crawled: Crawled) -> None:
    audit = audit_of(crawled, "extended")
    refused = [r for r in audit.decisions if r["stage"] == "page" and not r["may_train"]]
    assert {r["url"].split("/")[3] for r in refused} == {"members", "premium"}
    for row in refused:
        assert row["deciding_signal"] == "robots_training_token"
        assert row["rule"] in ("Disallow: /members/", "Disallow: /premium/")
        assert "Gleaner-Extended" in row["evidence"]
    assert audit.refusals_by_signal() == {"robots_training_token": len(refused)}
    excluded = {e["url"] for e in audit.exclusions if e["step"] == "consent"}
    assert {r["url"] for r in refused} <= excluded


def test_a_crawl_refusal_is_listed_before_fetch(crawled: Crawled) -> None:
    audit = audit_of(crawled, "open")
    [refused] = [r for r in audit.decisions if not r["may_fetch"]]
    assert (refused["stage"], refused["deciding_signal"]) == ("robots", "robots")
    assert refused["url"].endswith("/private/drafts/")
    assert audit.summary()["refused_before_fetch"] == 1


def test_a_duplicate_names_the_licensed_copy_it_lost_to(crawled: Crawled) -> None:
    audit = audit_of(crawled, "extended")
    [duplicate] = [d for d in audit.duplicates if d["url"] == crawled.duplicate_url]
    assert duplicate["reason"] == "duplicate_of_licensed"
    assert (duplicate["dedup_matched_version"], duplicate["matched_url"]) == (
        "v0001",
        "harbor-press-archive",
    )


@pytest.mark.parametrize(
    "who", [Publisher.host("never.example"), Publisher.domain("never.example")]
)
def test_a_host_never_crawled_gets_an_empty_answer(crawled: Crawled, who: Publisher) -> None:
    audit = audit_publisher(crawled.dataset, who)
    assert audit.empty
    assert all(getattr(audit, name) == [] for name in SECTIONS if name != "versions")
    assert [v["documents"] for v in audit.versions] == [0]


def test_a_domain_covers_every_host_under_it(crawled: Crawled) -> None:
    audit = audit_publisher(crawled.dataset, Publisher.domain("127.0.0.1"))
    hosts = {d["url"].split("/")[2] for d in audit.documents}
    assert hosts >= {crawled.hosts["extended"], crawled.hosts["open"]}
    assert {f["authority"].split("://")[1] for f in audit.robots_fetches} >= hosts


def test_an_unknown_version_is_a_dataset_error(crawled: Crawled) -> None:
    with pytest.raises(DatasetError, match="v0009: no such version"):
        audit_publisher(crawled.dataset, Publisher.host("never.example"), "v0009")


def removal_row(url: str, **extra: object) -> dict[str, object]:
    return {
        "id": "doc-1",
        "url": url,
        "removed_from": "v0001",
        "reason": "opt_out/robots_training_token",
        "evidence": "robots.txt sha256 ab12..; line 4: Disallow: /",
        "removed_at": datetime(2026, 12, 1, tzinfo=UTC),
        **extra,
    }


@pytest.mark.parametrize(
    "extra",
    [{}, {"request": "optout refresh", "deciding_signal": "robots_training_token", "note": None}],
    ids=["columns of today", "columns added later"],
)
def test_removals_are_read_by_column_name(
    crawled: Crawled, tmp_path: Path, extra: dict[str, object]
) -> None:
    dataset = tmp_path / "ds"
    shutil.copytree(crawled.dataset, dataset)
    url = f"http://{crawled.hosts['extended']}/stories/gone"
    rows = [removal_row(url, **extra), removal_row("http://elsewhere.example/x", id="doc-2")]
    pq.write_table(pa.Table.from_pylist(rows), dataset / "v0001" / "removals.parquet")
    [removal] = audit_publisher(dataset, Publisher.host(crawled.hosts["extended"])).removals
    assert (removal["id"], removal["version"], removal["reason"]) == (
        "doc-1",
        "v0001",
        "opt_out/robots_training_token",
    )
    assert removal["request"] == extra.get("request")
    assert removal["replaced_by"] is None


def test_a_later_capture_shows_as_a_change_with_both_digests(
    crawled: Crawled, tmp_path: Path
) -> None:
    dataset = tmp_path / "ds"
    shutil.copytree(crawled.dataset, dataset)
    sites = dataset / "v0001" / "consent" / "sites.parquet"
    authority = f"http://{crawled.hosts['extended']}"
    # The publisher flips its training group to refuse everything (Applebot-Extended's case).
    later = robots_body(crawled, "extended").replace(
        b"Disallow: /members/\nDisallow: /premium/", b"Disallow: /"
    )
    capture = {
        "kind": "robots",
        "authority": authority,
        "time": datetime(2100, 1, 1, tzinfo=UTC),
        "status": 200,
        "sha256": hashlib.sha256(later).hexdigest(),
        "body": later,
        "source": "archive.warc.gz#<urn:uuid:1>",
        "note": "",
    }
    table = pq.read_table(sites)
    pq.write_table(pa.concat_tables([table, pa.Table.from_pylist([capture], table.schema)]), sites)
    audit = audit_publisher(dataset, Publisher.host(crawled.hosts["extended"]))
    first, second = audit.robots_fetches
    assert (second["run"], second["source"], second["body_from"]) == (
        None,
        capture["source"],
        "dataset",
    )
    [change] = audit.robots_changes
    assert (change["from_sha256"], change["to_sha256"]) == (first["sha256"], capture["sha256"])
    [training] = change["rules"]
    assert training["role"] == "training"
    assert [line.split(": ", 1)[1] for line in training["added"]] == ["Disallow: /"]
    assert {line.split(": ", 1)[1] for line in training["removed"]} == {
        "Disallow: /members/",
        "Disallow: /premium/",
    }
