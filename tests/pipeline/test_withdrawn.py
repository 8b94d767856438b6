"""What a version removed stays out of later builds: its ids, and its standing requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from gleaner.cli import cli
from pipeline.document import Document
from pipeline.lineage import read_manifest, version_folders
from pipeline.sql import query
from pipeline.versions.select import STANDING, Selector
from pipeline.withdrawn import Withdrawals, Withdrawn
from tests.pipeline.versions.datasets import HOSTS, build_dataset


def _doc(doc_id: str, url: str, licensor: str | None = None) -> Document:
    host = url.split("/")[2] if "://" in url else None
    return Document(id=doc_id, text="x", source="web", url=url, host=host, licensor=licensor)


@pytest.mark.parametrize(
    ("selector", "doc", "reason"),
    [
        (
            Selector("host", ("127.0.0.1:8001",)),
            _doc("n1", "http://127.0.0.1:8001/a"),
            "removed_by_request",
        ),
        (Selector("host", ("127.0.0.1:8001",)), _doc("n2", "http://127.0.0.1:8002/a"), None),
        (
            Selector("domain", ("example.com",)),
            _doc("n3", "http://www.example.com/a"),
            "removed_by_request",
        ),
        (
            Selector("url_prefix", ("http://a.test/private/",)),
            _doc("n4", "http://a.test/private/x"),
            "removed_by_request",
        ),
        (
            Selector("url_prefix", ("http://a.test/private/",)),
            _doc("n5", "http://a.test/public/x"),
            None,
        ),
        (Selector("licensor", ("Acme",)), _doc("n6", "", licensor="acme"), "removed_by_request"),
        (
            Selector("host", ("127.0.0.1:8009",)),
            _doc("gone", "http://127.0.0.1:8002/b"),
            "removed_earlier",
        ),
    ],
)
def test_ids_and_standing_requests_drop(
    selector: Selector, doc: Document, reason: str | None
) -> None:
    step = Withdrawn(Withdrawals(frozenset({"gone"}), (selector,)))
    step.exclusions = []
    kept = list(step(iter([doc])))
    assert (not kept) == (reason is not None)
    assert [row["reason"] for row in step.exclusions] == ([reason] if reason else [])
    if reason == "removed_by_request":
        assert step.exclusions[0]["evidence"] == f"requested by {selector.describe()}"


def test_ids_are_not_a_standing_request() -> None:
    assert Selector("id", ("a", "b")).standing() is None
    assert Selector("host", ("h:1",)).standing() == {"kind": "host", "values": ["h:1"]}


def test_a_host_asked_out_stays_out_of_later_crawls(tmp_path: Path) -> None:
    dataset = build_dataset(tmp_path)
    args = ["remove", str(dataset), "--host", HOSTS[0], "--reason", "mail of 2026-12-01"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    removal = version_folders(dataset)[-1]
    assert read_manifest(removal)[STANDING] == {"kind": "host", "values": [HOSTS[0]]}
    # New pages of every host (other texts, so new ids and nothing a duplicate): the host
    # that asked to be left out stays out; the others come in.
    later = build_dataset(tmp_path, first=40, output=dataset)
    hosts = query(later, "SELECT DISTINCT host FROM added WHERE source = 'web' ORDER BY 1")[1]
    assert hosts == [(HOSTS[1],), (HOSTS[2],)]
    everyone = query(later, "SELECT DISTINCT host FROM documents WHERE source = 'web'")[1]
    assert (HOSTS[0],) not in everyone
    dropped = query(
        later,
        "SELECT reason, evidence, count(*) FROM exclusions WHERE step = 'withdrawn' GROUP BY ALL",
    )[1]
    assert dropped == [("removed_by_request", f"requested by --host {HOSTS[0]}", 4)]
