"""The shared frontier's steps, on a redis-server of the test's own (see redis_server)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from crawler.errors import FrontierError
from crawler.frontier import Claim, Frontier, RunSlot, join_run
from tests.crawler.redis_server import redis_server

pytestmark = pytest.mark.cluster

A, B = "http://a.test", "http://b.test"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[redis.Redis]:
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield redis.Redis.from_url(url)


@pytest.fixture
def prefix(client: redis.Redis, request: pytest.FixtureRequest) -> str:
    return f"t:{request.node.name}:{time.monotonic_ns()}:"


def worker(client: redis.Redis, prefix: str, lease: float = 30.0, delay: float = 1.0) -> Frontier:
    return Frontier(client, prefix, lease=lease, concurrency=1, min_delay=delay)


def admit(f: Frontier, host: str, path: str, limits: tuple[int, int] = (10, 10)) -> str:
    url = f"{host}{path}"
    item = {"url": url, "depth": 0, "kind": "page", "meta": {}}
    return f.admit(url, host, item, limits)


def test_admission_checks_seen_then_shape_then_host_budget(
    client: redis.Redis, prefix: str
) -> None:
    f = worker(client, prefix)
    verdicts = [admit(f, A, p, limits=(3, 2)) for p in ("/x1", "/x1", "/x2", "/x3", "/x4")]
    assert verdicts == ["queued", "seen", "queued", "budget", "trap"]


def test_http_and_https_of_a_host_share_its_page_budget(client: redis.Redis, prefix: str) -> None:
    f = worker(client, prefix)
    assert admit(f, A, "/a", limits=(10, 1)) == "queued"
    assert admit(f, "https://a.test", "/b", limits=(10, 1)) == "budget"


def test_a_host_gives_one_request_per_turn_to_one_worker(client: redis.Redis, prefix: str) -> None:
    one, two = worker(client, prefix), worker(client, prefix)
    for path in ("/1", "/2"):
        admit(one, A, path)
    admit(one, B, "/1")
    first, second = one.claim(), two.claim()
    assert isinstance(first, Claim) and isinstance(second, Claim)
    assert {first.host, second.host} == {A, B}
    assert one.claim() == -1  # A's next turn waits for its answer, and B has nothing more
    assert one.done(first.host, first.id) and two.done(second.host, second.id)
    wait = one.claim()  # answered: A's next turn is a delay (less the claim ahead) away
    assert isinstance(wait, float) and 0 < wait <= 1.0 - one.ahead


def test_the_owner_keeps_its_host_until_its_lease_runs_out(
    client: redis.Redis, prefix: str
) -> None:
    owner, other = worker(client, prefix, lease=0.5, delay=0.0), worker(client, prefix, delay=0.0)
    for path in ("/1", "/2"):
        admit(owner, A, path)
    held = owner.claim()
    assert isinstance(held, Claim)
    assert not isinstance(other.claim(), Claim)  # A is the owner's: in flight, leased
    time.sleep(0.6)  # the owner died: no renewal
    again = other.claim()
    assert isinstance(again, Claim) and again.item["url"] == held.item["url"]  # back first
    assert not owner.done(held.host, held.id)  # too late: it was taken back
    assert client.get(prefix + "requeued") == b"1"


def test_a_renewed_lease_holds(client: redis.Redis, prefix: str) -> None:
    owner, other = worker(client, prefix, lease=0.5, delay=0.0), worker(client, prefix, delay=0.0)
    admit(owner, A, "/1")
    held = owner.claim()
    for _ in range(4):
        time.sleep(0.2)
        owner.renew()
        assert not isinstance(other.claim(), Claim)
    assert isinstance(held, Claim) and owner.done(held.host, held.id)
    assert not owner.busy() or client.exists(prefix + "seeded") == 0


def test_a_request_given_back_goes_first_under_a_new_id(client: redis.Redis, prefix: str) -> None:
    f = worker(client, prefix, delay=0.0)
    for path in ("/1", "/2"):
        admit(f, A, path)
    first = f.claim()
    assert isinstance(first, Claim)
    f.give_back(first.host, first.id, A, first.item | {"meta": {"retry_times": 1}})
    again = f.claim()
    assert isinstance(again, Claim) and again.item["url"] == first.item["url"]
    assert again.item["meta"] == {"retry_times": 1} and again.id != first.id


def test_a_pause_from_any_worker_holds_the_host(client: redis.Redis, prefix: str) -> None:
    one, two = worker(client, prefix, delay=0.0), worker(client, prefix, delay=0.0)
    for path in ("/1", "/2"):
        admit(one, A, path)
    got = one.claim()
    assert isinstance(got, Claim)
    two.pace(A, 30.0)  # a Retry-After: 30 another worker was given
    one.done(got.host, got.id)
    wait = one.claim()  # A is still the owner's (it has queued work): the owner waits
    assert isinstance(wait, float) and wait > 29
    assert two.claim() == -1  # and the other has nothing of its own to wait for


def test_one_run_is_started_and_joined_and_resume_needs_one(client: redis.Redis) -> None:
    job = f"job{time.monotonic_ns()}"
    with pytest.raises(FrontierError, match="no unfinished run"):
        join_run(client, job, "r1", resume=True)
    first = join_run(client, job, "r1", resume=False, lease=0.3)
    second = join_run(client, job, "r2", resume=False)  # r1 is live: its workers are at work
    assert (first.name, first.started, second.name, second.started) == ("r1", True, "r1", False)
    time.sleep(0.4)  # every worker of r1 stopped renewing: r1 is unfinished, not live
    assert join_run(client, job, "r2", resume=True) == RunSlot("r1", started=False)
    assert join_run(client, job, "r2", resume=False) == RunSlot("r2", started=True)
    client.set(f"gleaner:{job}:r2:finished", "1")
    with pytest.raises(FrontierError, match="no unfinished run"):
        join_run(client, job, "r3", resume=True)
    assert join_run(client, job, "r3", resume=False).name == "r3"


@given(
    paths=st.lists(st.sampled_from([f"/{i}" for i in range(8)]), min_size=1, max_size=30),
    picks=st.lists(st.integers(0, 1), min_size=60, max_size=60),
)
@hsettings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_admitted_url_is_claimed_exactly_once(
    client: redis.Redis, paths: list[str], picks: list[int]
) -> None:
    prefix = f"p:{time.monotonic_ns()}:"
    workers = [worker(client, prefix, delay=0.0), worker(client, prefix, delay=0.0)]
    admitted = {
        f"{h}{p}"
        for i, p in enumerate(paths)
        for h in [(A, B)[i % 2]]
        if admit(workers[0], h, p) == "queued"
    }
    claimed: list[str] = []
    for pick in picks:
        got = workers[pick].claim()
        if isinstance(got, Claim):
            claimed.append(got.item["url"])
            workers[pick].done(got.host, got.id)
    for f in workers:
        while isinstance(got := f.claim(), Claim):
            claimed.append(got.item["url"])
            f.done(got.host, got.id)
    assert sorted(claimed) == sorted(admitted)
