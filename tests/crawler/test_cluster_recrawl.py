"""Recrawls on a shared frontier: run 2 of a job asks again, conditionally, for what run 1
took, whichever workers ran either, judged from the publishers' own request logs.

Two publishers serve small sites; between run 1 and run 2 page ``/b`` of each changes (new
ETag, a new link), and the second publisher also disallows ``/d`` in its robots.txt and
sends ``X-Robots-Tag: noai`` with ``/a``. The same job is crawled three ways: by two
workers on a Redis frontier both times (``cluster``), on one machine both times
(``local``), and on one machine then by two workers (``mixed``: run 1's folder is the
local job's, copied; its known files travel with it).
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.build import build
from pipeline.config import BuildConfig
from pipeline.filters.c4 import C4Config
from pipeline.filters.config import FiltersConfig
from pipeline.filters.fineweb import FineWebConfig
from pipeline.filters.gopher import QualityConfig
from pipeline.filters.language import LanguageConfig
from pipeline.filters.pii import PiiConfig
from pipeline.filters.repetition import RepetitionConfig
from tests.crawler.conftest import Publisher, Route, crawl, text, write_job
from tests.crawler.redis_server import redis_server
from tests.crawler.test_cluster import finish, gleaner
from tests.crawler.test_warc import records

pytestmark = pytest.mark.cluster

PAGES = ["/", "/a", "/b", "/c", "/d"]
WAYS = ("cluster", "local", "mixed")
WORDS = ("harbour", "boat", "net", "tide", "gull", "rope", "sail", "mast", "deck", "crab", "fish")
OPEN = "User-agent: *\nAllow: /\n"


def prose(seed: str) -> str:
    """A paragraph of its own per page (near-duplicates would merge in the build)."""
    rng = random.Random(seed)
    return " ".join(" ".join(rng.choices(WORDS, k=12)).capitalize() + "." for _ in range(8))


def article(seed: str, *links: str, **headers: str) -> Route:
    anchors = "".join(f'<a href="{href}">{href}</a> ' for href in links)
    html = (
        f"<html><head><title>{seed}</title></head><body><article><h1>{seed}</h1>"
        f"<p>{prose(seed)}</p><p>{prose(seed + '.')}</p><p>{anchors}</p></article></body></html>"
    )
    return 200, {"Content-Type": "text/html; charset=utf-8", **headers}, html.encode()


def site(run: int, strict: bool) -> dict[str, Route]:
    """The site in ``run`` (1 or 2); ``strict``: the publisher that says no more in run 2.

    Each publisher's text is its own: a copy on the other would be deduplicated away.
    """
    changed, own = run == 2, "!" * strict
    routes = {"/robots.txt": text(OPEN + ("Disallow: /d\n" if strict and changed else ""))}
    for path in PAGES:
        edited = changed and path == "/b"
        links = PAGES[1:] if path == "/" else ["/new"] if edited else []
        headers = {"Last-Modified": f"Mon, 0{1 + edited} Jan 2026 00:00:00 GMT"}
        if path != "/c":  # /c is asked with If-Modified-Since alone
            headers["ETag"] = f'"{path}-{1 + edited}"'
        if strict and changed and path == "/a":
            headers["X-Robots-Tag"] = "noai"
        routes[path] = article(path + "+" * edited + own, *links, **headers)
    routes["/new"] = article("/new" + own)
    return routes


@dataclass
class Runs:
    """Run 1 and run 2 of one way, and what each publisher was asked in run 2."""

    first: Path
    second: Path
    asked: list[list[tuple[str, str | None, str | None]]]


@dataclass
class Crawls:
    publishers: list[Publisher]
    ways: dict[str, Runs]


def job_for(folder: Path, publishers: list[Publisher], way: str) -> Path:
    folder.mkdir()
    job = write_job(folder, *(p.url + "/" for p in publishers))
    job.write_text(job.read_text().replace('name = "t"', f'name = "{way}"'))
    return job


def crawl_twice_each_way(tmp: Path, publishers: list[Publisher], frontier: str) -> dict[str, Runs]:
    jobs = {way: job_for(tmp / way, publishers, way) for way in WAYS}

    def run(way: str, shared: bool) -> Path:
        if not shared:
            return crawl(jobs[way].parent)
        command = ["crawl", str(jobs[way]), "--frontier", frontier, "--workers", "2"]
        return finish(gleaner(jobs[way].parent, *command, "-sPROGRESS_INTERVAL=0"))

    first = {"cluster": run("cluster", True), "local": run("local", False)}
    first["mixed"] = tmp / "mixed" / "runs" / "mixed" / first["local"].name
    shutil.copytree(first["local"], first["mixed"])
    for i, pub in enumerate(publishers):
        pub.routes = dict(site(2, strict=i == 1))
    ways = {}
    for way in WAYS:
        marks = [len(p.asked) for p in publishers]
        second = run(way, way != "local")
        asked = [p.asked[mark:] for p, mark in zip(publishers, marks, strict=True)]
        ways[way] = Runs(first[way], second, asked)
    return ways


@pytest.fixture(scope="module")
def crawls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawls]:
    tmp = tmp_path_factory.mktemp("cluster-recrawl")
    publishers = [Publisher(routes=dict(site(1, strict=i == 1))) for i in range(2)]
    for pub in publishers:
        pub.start()
    try:
        with redis_server(tmp) as frontier:
            yield Crawls(publishers, crawl_twice_each_way(tmp, publishers, frontier))
    finally:
        for pub in publishers:
            pub.stop()


def validators(path: str) -> tuple[str | None, str]:
    """What run 2 must send for a page of run 1: its ETag (none for /c), its date."""
    return (None if path == "/c" else f'"{path}-1"'), "Mon, 01 Jan 2026 00:00:00 GMT"


@pytest.mark.parametrize("way", WAYS)
def test_run_2_asks_for_every_page_of_run_1_once_with_its_validators(
    crawls: Crawls, way: str
) -> None:
    for i, asked in enumerate(crawls.ways[way].asked):
        refused = {"/d"} if i == 1 else set()  # disallowed since: never asked again
        pages = [(path, etag, since) for path, etag, since in asked if path in PAGES]
        assert Counter(path for path, *_ in pages) == dict.fromkeys(set(PAGES) - refused, 1)
        assert all((etag, since) == validators(path) for path, etag, since in pages), pages
        assert [p for p in asked if p[0] == "/new"] == [("/new", None, None)]  # found anew
        assert [p for p, *_ in asked].count("/robots.txt") == 1  # judged afresh, once


@pytest.mark.parametrize("way", WAYS)
def test_unchanged_pages_are_revisits_of_run_1_s_captures(crawls: Crawls, way: str) -> None:
    runs = crawls.ways[way]
    captured = records(runs.first)
    old = {url: h["WARC-Record-ID"] for kind, url, h, _ in captured if kind == "response"}
    kinds = ("response", "revisit")
    new = {url: (kind, h) for kind, url, h, _ in records(runs.second) if kind in kinds}
    for i, pub in enumerate(crawls.publishers):
        for path in PAGES:
            if i == 1 and path == "/d":
                assert pub.url + path not in new
                continue
            kind, headers = new[pub.url + path]
            assert kind == ("response" if path == "/b" else "revisit"), path
            if kind == "revisit":
                assert headers["WARC-Refers-To"] == old[pub.url + path]


def decisions(run: Path) -> list[dict[str, Any]]:
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{run}/decisions/*.parquet') ORDER BY url")
    return [dict(zip(rel.columns, row, strict=True)) for row in rel.fetchall()]


@pytest.mark.parametrize("way", WAYS)
def test_consent_is_judged_afresh_for_every_recrawled_url(crawls: Crawls, way: str) -> None:
    strict = crawls.publishers[1].url
    rows = {(r["url"], r["stage"]): r for r in decisions(crawls.ways[way].second)}
    assert rows[(strict + "/d", "robots")]["may_fetch"] is False  # disallowed since
    noai = rows[(strict + "/a", "page")]
    assert (noai["http_status"], noai["may_train"]) == (304, False)
    assert noai["deciding_signal"] == "x_robots_tag"
    quiet = rows[(crawls.publishers[0].url + "/a", "page")]
    assert (quiet["http_status"], quiet["may_train"]) == (304, None)  # a 304 allows nothing


def test_each_worker_keeps_its_own_known_file_and_run_2_merged_them_once(
    crawls: Crawls,
) -> None:
    runs = crawls.ways["cluster"]
    workers = sorted(p.name for p in (runs.first / "known").glob("w*.sqlite3"))
    assert workers and all(name[1:4].isdigit() for name in workers)
    assert (runs.second / "known" / "base.sqlite3").is_file()
    assert not (runs.first / "known" / "base.sqlite3").exists()  # superseded by run 2's
    assert not list(runs.second.parent.glob("known*"))  # nothing shared at the job level


DOCUMENT_COLUMNS = ["url", "text", "text_sha256", "training_signal", "license", "title"]


def dataset(tmp: Path, runs: Runs) -> list[tuple[Any, ...]]:
    off = FiltersConfig(
        language=LanguageConfig(enabled=False),
        repetition=RepetitionConfig(enabled=False),
        c4=C4Config(enabled=False),
        fineweb=FineWebConfig(enabled=False),
        pii=PiiConfig(enabled=False),
    )
    config = BuildConfig(
        output=tmp,
        crawls=(runs.first, runs.second),
        workers=1,
        quality=QualityConfig(enabled=False),
        filters=off,
    )
    result = build(config)
    tables = [pq.read_table(shard) for shard in (result.version / "shards").glob("*.parquet")]
    rows = [row for t in tables for row in t.select(DOCUMENT_COLUMNS).to_pylist()]
    return sorted(tuple(row.values()) for row in rows)


def test_a_build_over_both_runs_is_the_same_whichever_way_they_ran(
    crawls: Crawls, tmp_path: Path
) -> None:
    built = {way: dataset(tmp_path / way, crawls.ways[way]) for way in WAYS}
    assert built["local"], "the build kept pages"
    assert built["cluster"] == built["local"] == built["mixed"]
