"""Writing a decision row from a crawler component: the job's tokens, the entry's stamp."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.decisions import log_decision
from record import outcome_verdict
from tests.crawler.inprocess import decision_rows, project_crawler, robots_entry

URL = "http://127.0.0.1:8000/a"


@pytest.mark.parametrize(
    ("settings", "tokens"),
    [
        ({}, ("Gleaner", "Gleaner-Extended")),
        (
            {"GLEANER_CRAWL_TOKEN": "Harvester", "GLEANER_TRAINING_TOKEN": "Harvester-AI"},
            ("Harvester", "Harvester-AI"),
        ),
    ],
)
def test_the_row_carries_the_jobs_tokens(
    tmp_path: Path, settings: dict[str, str], tokens: tuple[str, str]
) -> None:
    crawler = project_crawler(tmp_path, **settings)
    verdict = outcome_verdict("host_parked", "rule", "evidence", fetched=False)
    returned = log_decision(crawler, URL, "robots", verdict, None)
    [row] = decision_rows(crawler)
    assert (row["crawl_token"], row["training_token"]) == tokens
    assert returned["url"] == row["url"] == URL


@pytest.mark.parametrize("with_entry", [True, False], ids=["robots.txt known", "none"])
def test_the_row_is_stamped_with_the_robots_txt_that_applied(
    tmp_path: Path, with_entry: bool
) -> None:
    crawler = project_crawler(tmp_path)
    entry = robots_entry(b"User-agent: *\nAllow: /\n") if with_entry else None
    verdict = outcome_verdict("content_type", "rule", "Content-Type: x/y", fetched=True)
    log_decision(crawler, URL, "page", verdict, entry, 200, ("w.warc.gz", "<urn:uuid:1>"))
    [row] = decision_rows(crawler)
    stamp = (entry.robots.sha256, entry.fetched_at) if entry else (None, None)
    assert (row["robots_sha256"], row["robots_fetched_at"]) == stamp
    assert (row["http_status"], row["warc_file"], row["warc_record_id"]) == (
        200,
        "w.warc.gz",
        "<urn:uuid:1>",
    )
