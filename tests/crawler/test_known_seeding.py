"""A run's known URLs go into a shared frontier once: one worker seeds, the others wait."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler._known_seeding import known_requests
from crawler.frontier import Frontier, connect
from crawler.known import Known, open_known
from tests.crawler.redis_server import redis_server

pytestmark = pytest.mark.cluster

PREFIX = "gleaner:t:20261202T030000Z:"
URLS = ["http://a.example/", "http://a.example/x", "http://b.example/"]


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    """Run 2 of a job whose run 1 took three URLs."""
    earlier = open_known(tmp_path / "t" / "20261201T030000Z", "w001")
    for url in URLS:
        earlier.add(url, url, 0, "page")
    earlier.close()
    return tmp_path / "t" / "20261202T030000Z"


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path) as url:
        yield url


def worker(url: str, name: str) -> Frontier:
    return Frontier(connect(url), PREFIX, lease=2.0, concurrency=1, min_delay=1.0, worker=name)


def seed(run_dir: Path, frontier: Frontier) -> list[str]:
    return asyncio.run(_collect(run_dir, frontier))


async def _collect(run_dir: Path, frontier: Frontier) -> list[str]:
    log = logging.getLogger("test")
    return [url async for url in known_requests(run_dir, frontier, _url, log)]


def _url(known: Known) -> str:
    return known.url  # stands for the request the spider makes


def test_the_first_worker_seeds_and_the_next_finds_it_done(run_dir: Path, redis_url: str) -> None:
    assert seed(run_dir, worker(redis_url, "w001")) == URLS
    assert seed(run_dir, worker(redis_url, "w002")) == []  # the whole cluster's, once
    assert seed(run_dir, worker(redis_url, "w003")) == []  # a resumed worker too


def test_a_worker_waits_for_a_live_seeder_then_seeds_nothing(run_dir: Path, redis_url: str) -> None:
    seeder, waiting = worker(redis_url, "w001"), worker(redis_url, "w002")
    seeder.client.set(PREFIX + "known:seeder", "w001")  # w001 is at it, and alive

    async def both() -> list[str]:
        task = asyncio.create_task(_collect(run_dir, waiting))
        await asyncio.sleep(1.5)
        assert not task.done()  # still waiting: its seeds must not go first
        seeder.client.set(PREFIX + "known:seeded", "1")
        return await asyncio.wait_for(task, timeout=10)

    assert asyncio.run(both()) == []


def test_a_dead_seeder_is_replaced_by_the_next_worker(run_dir: Path, redis_url: str) -> None:
    seeder, other = worker(redis_url, "w001"), worker(redis_url, "w002")
    seeder.client.set(PREFIX + "known:seeder", "w001")
    seeder.client.delete(PREFIX + "alive:w001")  # its lease ran out: killed mid-seeding
    assert seed(run_dir, other) == URLS
    assert other.client.get(PREFIX + "known:seeder") == b"w002"
