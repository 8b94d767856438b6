"""A crawl that fetched nothing says why, from its decision log and its job."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler.jobspec import load_job
from crawler.refusals import nothing_fetched
from record.schema import DECISION_SCHEMA
from tests.crawler.conftest import write_job

SEED = "http://127.0.0.1:9/"


def decision(stage: str, signal: str | None = None, rule: str = "", outcome: str = "") -> dict:
    return {
        "url": SEED,
        "host": "127.0.0.1",
        "time": datetime(2026, 12, 1, tzinfo=UTC),
        "crawl_token": "Gleaner",
        "training_token": "Gleaner-Extended",
        "stage": stage,
        "may_fetch": stage == "page",
        "deciding_signal": signal,
        "rule": rule or None,
        "outcome": outcome or None,
    }


ROBOTS = decision("robots", "robots", "Disallow: /")
GUARD = decision("robots", None, "non-public address (GUARD_ALLOW_PRIVATE)", "address_guard")


@pytest.mark.parametrize(
    ("rows", "hosts", "why"),
    [
        ([decision("page")], ("127.0.0.1",), None),
        ([ROBOTS, decision("page")], ("127.0.0.1",), None),
        ([ROBOTS], ("127.0.0.1",), "1 URL(s) refused by robots.txt (Disallow: /)"),
        (
            [GUARD],
            ("127.0.0.1",),
            "1 URL(s) refused by address guard (non-public address (GUARD_ALLOW_PRIVATE))",
        ),
        (
            [ROBOTS, ROBOTS, GUARD],
            ("127.0.0.1",),
            "2 URL(s) refused by robots.txt (Disallow: /); 1 URL(s) refused by address guard",
        ),
        ([], ("other.example",), f"1 seed(s) outside [scope] allowed_hosts ({SEED})"),
        ([], ("127.0.0.1",), "no seed or sitemap was requested"),
    ],
)
def test_why_nothing_was_fetched(
    tmp_path: Path, rows: list[dict], hosts: tuple[str, ...], why: str | None
) -> None:
    job = load_job(write_job(tmp_path, SEED, hosts=hosts))
    run = tmp_path / "run"
    (run / "decisions").mkdir(parents=True)
    if rows:
        table = pa.Table.from_pylist(rows, schema=DECISION_SCHEMA)
        pq.write_table(table, run / "decisions" / "00000.parquet")
    found = nothing_fetched(job, run)
    if why is None:
        assert found is None
    else:
        assert found is not None
        assert found.startswith(f"{run}: nothing fetched: {why}")
