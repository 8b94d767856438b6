"""The crawl's numbers from its stats: opt-outs by signal, outcomes apart, refusals before fetch."""

from __future__ import annotations

from typing import Any

import pytest

from crawler.tally import tally

STATS: dict[str, Any] = {
    "policy/page/may_train": 7,
    "policy/page/opt_out/noai": 2,
    "policy/page/opt_out/tdmrep": 1,
    "policy/page/outcome/not_modified": 3,
    "policy/robots/denied": 4,
    "policy/robots/allowed": 13,
    "guard/address/private": 1,
    "downloader/response_status_count/200": 11,
    "downloader/response_status_count/404": 1,
    "downloader/exception_count": 2,
    "spider_exceptions/count": 1,
    "downloader/response_bytes": 5000,
}


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("fetched", 7 + 2 + 1 + 3),  # every page the gate decided on, outcomes included
        ("opt_outs", {"noai": 2, "tdmrep": 1}),  # a publisher's word, by signal
        ("outcomes", {"not_modified": 3}),  # ours, not an opt-out
        ("refused_by_robots", 4),
        ("refused_by_guard", 1),
        ("refused_before_fetch", 5),
        ("statuses", {"200": 11, "404": 1}),
        ("errors", 3),
        ("bytes", 5000),
        ("budget", 60 * 2),  # the job's pages per host, for each host seen
        ("per_minute", 13 * 60 / 30),
    ],
)
def test_a_tally_reads_the_crawl_stats(field: str, expected: object) -> None:
    counted = tally(STATS, pages_per_host=60, hosts=2, seconds=30.0)
    assert getattr(counted, field) == expected


def test_an_empty_crawl_counts_nothing_and_divides_by_nothing() -> None:
    counted = tally({}, pages_per_host=60, hosts=0, seconds=0.0)
    assert (counted.fetched, counted.budget, counted.per_minute, counted.errors) == (0, 0, 0.0, 0)
