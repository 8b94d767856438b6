"""A recrawl that meets a new opt-out records it (issue 9, item 2, crawler side).

Each publisher below is a real server on 127.0.0.1 with its own consent story. Run 1 sees
them all open and captures every page with an ETag; between the runs each publisher changes
its robots.txt (or its TDMRep file, or the headers it sends) while its pages stay the same,
so run 2 gets a ``304`` for every page. Run 2's decision log must say what each publisher
says now, at the ``robots`` stage and on the 304 ``page`` rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.crawler.conftest import REPO, Publisher, Route, crawl, page, text

OPEN = "User-agent: *\nAllow: /\n"
RESOLVER = "DNS_RESOLVER=tests.crawler.stub_resolver.StubResolver"


@dataclass(frozen=True)
class Story:
    """What one publisher serves in run 2, and what run 2's rows must then say."""

    robots: Route
    page_headers: dict[str, str] = field(default_factory=dict)  # sent with every 304
    tdmrep: str | None = None
    # (may_fetch, may_train, training_signal, deciding_signal) of the robots-stage rows
    robots_row: tuple[bool, bool, str, str | None] = (True, True, "unknown", None)
    # (training_signal, deciding_signal) of the 304 page rows; None when nothing is fetched
    page_row: tuple[str, str] | None = ("unknown", "not_modified")


STORIES = {
    "training_token_disallowed": Story(
        text("User-agent: *\nAllow: /\n\nUser-agent: Gleaner-Extended\nDisallow: /\n"),
        robots_row=(True, False, "disallowed", "robots_training_token"),
        page_row=("disallowed", "robots_training_token"),
    ),
    "only_the_training_token_group": Story(
        text("User-agent: Gleaner-Extended\nDisallow: /\n"),
        robots_row=(True, False, "disallowed", "robots_training_token"),
        page_row=("disallowed", "robots_training_token"),
    ),
    "proxy_vendor_token_disallowed": Story(
        text(OPEN + "\nUser-agent: GPTBot\nDisallow: /\n"),
        robots_row=(True, False, "disallowed", "proxy_training_token"),
        page_row=("disallowed", "proxy_training_token"),
    ),
    "content_usage_rule_says_no": Story(
        text(OPEN + "Content-Usage: train-ai=n\n"),
        robots_row=(True, False, "disallowed", "content_usage"),
        page_row=("disallowed", "content_usage"),
    ),
    "content_signal_rule_says_no": Story(
        text(OPEN + "Content-Signal: ai-train=no\n"),
        robots_row=(True, False, "disallowed", "content_signal"),
        page_row=("disallowed", "content_signal"),
    ),
    "unchanged_and_open": Story(text(OPEN)),
    "robots_txt_says_yes": Story(
        text(OPEN + "Content-Usage: train-ai=y\n"),
        robots_row=(True, True, "allowed", "content_usage"),
        page_row=("allowed", "not_modified"),  # a 304 never allows training by itself
    ),
    "noai_header_on_the_304": Story(
        text(OPEN),
        page_headers={"X-Robots-Tag": "noai"},
        page_row=("disallowed", "x_robots_tag"),
    ),
    "tdmrep_file_reserves": Story(
        text(OPEN),
        tdmrep='[{"location": "/*", "tdm-reservation": 1}]',
        page_row=("disallowed", "tdmrep"),
    ),
    "everything_disallowed": Story(
        text("User-agent: *\nDisallow: /\n"),
        robots_row=(False, False, "disallowed", "robots"),
        page_row=None,
    ),
    "robots_txt_answers_503": Story(
        text("down", 503),
        robots_row=(False, False, "unknown", "robots"),
        page_row=None,
    ),
}


def pages(headers: dict[str, str] | None = None) -> dict[str, Route]:
    """Two pages with fixed ETags: unchanged between runs, so run 2 gets 304s."""
    return {
        "/": tagged(page("Home", "/a"), '"home"', headers),
        "/a": tagged(page("A"), '"a"', headers),
    }


def tagged(route: Route, etag: str, headers: dict[str, str] | None) -> Route:
    status, base, body = route
    return status, {**base, **(headers or {}), "ETag": etag}, body


@dataclass
class Recrawl:
    """Both runs of the job over every publisher, and run 2's logs."""

    publishers: dict[str, Publisher]
    first: Path
    second: Path

    def rows(self, story: str, stage: str) -> list[dict[str, Any]]:
        url = self.publishers[story].url
        con = duckdb.connect()
        rel = con.execute(
            f"SELECT * FROM read_parquet('{self.second}/decisions/*.parquet') "
            "WHERE stage = ? AND starts_with(url, ?) ORDER BY url",
            [stage, url + "/"],
        )
        columns = [d[0] for d in rel.description]
        return [dict(zip(columns, row, strict=True)) for row in rel.fetchall()]


@pytest.fixture(scope="module")
def recrawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recrawl]:
    tmp_path = tmp_path_factory.mktemp("recrawl")
    publishers = {
        name: Publisher(routes={"/robots.txt": text(OPEN), **pages()}) for name in STORIES
    }
    for publisher in publishers.values():
        publisher.start()
    try:
        first = crawl(tmp_path, *(p.url + "/" for p in publishers.values()))
        for name, story in STORIES.items():
            routes = publishers[name].routes
            routes.update({"/robots.txt": story.robots, **pages(story.page_headers)})
            if story.tdmrep is not None:
                routes["/.well-known/tdmrep.json"] = (
                    200,
                    {"Content-Type": "application/json"},
                    story.tdmrep.encode(),
                )
        second = crawl(tmp_path)  # the same job file again, as `gleaner schedule` would
        yield Recrawl(publishers, first, second)
    finally:
        for publisher in publishers.values():
            publisher.stop()


def test_run_1_captured_every_page_and_run_2_got_only_304s(recrawl: Recrawl) -> None:
    def pages_of(run: Path) -> list[tuple[Any, ...]]:
        logs = f"read_parquet('{run}/decisions/*.parquet')"
        sql = f"SELECT DISTINCT http_status, may_train FROM {logs} WHERE stage = 'page'"
        return duckdb.sql(sql).fetchall()

    assert pages_of(recrawl.first) == [(200, True)]  # every publisher open at first
    assert pages_of(recrawl.second) == [(304, False)]
    for name, publisher in recrawl.publishers.items():
        assert publisher.paths().count("/robots.txt") == 2, name  # re-checked in run 2
        fetched_twice = STORIES[name].page_row is not None
        assert publisher.paths().count("/a") == (2 if fetched_twice else 1), name


@pytest.mark.parametrize("story", [n for n, s in STORIES.items() if s.page_row], ids=str)
def test_a_304_revisit_records_the_publishers_current_answer(recrawl: Recrawl, story: str) -> None:
    rows = recrawl.rows(story, "page")
    assert [r["url"].rsplit("/", 1)[1] for r in rows] == ["", "a"]
    for row in rows:
        assert row["http_status"] == 304
        assert row["may_train"] is False  # a 304 row never allows training by itself
        assert (row["training_signal"], row["deciding_signal"]) == STORIES[story].page_row
        assert row["warc_record_id"]  # the revisit record it belongs to
        if row["deciding_signal"] != "not_modified":
            assert row["rule"] and row["evidence"]  # the publisher's rule, quoted


@pytest.mark.parametrize("story", list(STORIES), ids=str)
def test_the_robots_stage_row_carries_both_tokens_answers(recrawl: Recrawl, story: str) -> None:
    rows = recrawl.rows(story, "robots")
    assert rows, "every URL of run 2 gets a robots-stage row"
    for row in rows:
        got = (row["may_fetch"], row["may_train"], row["training_signal"], row["deciding_signal"])
        assert got == STORIES[story].robots_row
        assert row["may_index"] is (None if row["may_fetch"] else False)  # the page decides
        assert row["robots_sha256"]


def test_the_training_token_disallow_is_quoted_with_its_line(recrawl: Recrawl) -> None:
    row = recrawl.rows("training_token_disallowed", "page")[0]
    assert (row["rule"], row["evidence"]) == (
        "Disallow: /",
        "robots.txt line 5, User-agent: Gleaner-Extended (line 4)",
    )
    robots_row = recrawl.rows("training_token_disallowed", "robots")[0]
    assert (robots_row["rule"], robots_row["evidence"]) == (row["rule"], row["evidence"])


def documented(heading: str) -> str:
    """The SQL under ``## heading`` in docs/queries.md."""
    section = (REPO / "docs" / "queries.md").read_text().split(f"## {heading}\n", 1)[1]
    found = re.search(r"```sql\n(.*?)```", section, flags=re.S)
    assert found, heading
    return found.group(1)


def run_2_view(recrawl: Recrawl) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    logs = f"{recrawl.second}/decisions/*.parquet"
    con.execute(f"CREATE VIEW decisions AS SELECT * FROM read_parquet('{logs}')")
    return con


def test_the_documented_queries_show_the_opt_outs_found_on_revisits(recrawl: Recrawl) -> None:
    refusing = {
        n: s.page_row[1] for n, s in STORIES.items() if s.page_row and s.page_row[0] == "disallowed"
    }
    con = run_2_view(recrawl)
    found = con.execute(documented("Opt-outs found on revisits")).fetchall()
    expected = {
        (recrawl.publishers[name].url + path, signal)
        for name, signal in refusing.items()
        for path in ("/", "/a")
    }
    assert {(url, signal) for url, signal, *_ in found} == expected
    by_signal = con.execute(documented("Opt-outs by signal")).fetchall()
    assert {signal for signal, *_ in by_signal} == set(refusing.values())  # no not_modified


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    served = Publisher(routes={})
    served.start()
    yield served
    served.stop()


def test_a_trailing_dot_host_shares_the_robots_txt_entry(
    tmp_path: Path, publisher: Publisher
) -> None:
    port = publisher.url.rsplit(":", 1)[1]
    dotted = f"http://127.0.0.1.:{port}/dotted"
    publisher.routes = {
        "/robots.txt": text("User-agent: *\nDisallow: /private\n"),
        "/": page("Home", "/a", dotted, f"http://127.0.0.1.:{port}/a"),
        "/a": page("A"),
        "/dotted": page("Dotted"),
    }
    run = crawl(tmp_path, publisher.url + "/", settings=(RESOLVER,))
    assert "/dotted" in publisher.paths()  # the same host, so in scope
    assert publisher.paths().count("/robots.txt") == 1
    assert publisher.paths().count("/a") == 1  # one page, however its host is spelled
    authorities = duckdb.sql(
        f"SELECT authority FROM read_parquet('{run}/robots/*.parquet')"
    ).fetchall()
    assert authorities == [(publisher.url,)]
    hosts = duckdb.sql(
        f"SELECT DISTINCT host, robots_sha256 FROM read_parquet('{run}/decisions/*.parquet')"
    ).fetchall()
    assert len(hosts) == 1 and hosts[0][0] == f"127.0.0.1:{port}"
