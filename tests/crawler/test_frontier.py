"""The shared frontier's steps, on a redis-server of the test's own (see redis_server)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import pairwise

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


def worker(
    client: redis.Redis,
    prefix: str,
    lease: float = 30.0,
    delay: float = 1.0,
    concurrency: int = 1,
    ahead: float = 0.25,
) -> Frontier:
    return Frontier(
        client, prefix, lease=lease, concurrency=concurrency, min_delay=delay, ahead=ahead
    )


def next_turn(f: Frontier, host: str) -> float:
    return float(f.client.hget(f.prefix + "host:" + host, "next") or 0)


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


def test_the_run_counts_every_workers_hosts(client: redis.Redis, prefix: str) -> None:
    one, two = worker(client, prefix), worker(client, prefix)
    assert one.hosts() == 0
    admit(one, A, "/a")
    admit(two, "https://a.test", "/b")  # the same host's budget, another scheme
    admit(two, "http://b.test", "/c")
    assert one.hosts() == two.hosts() == 2


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


def test_a_turn_is_claimed_ahead_and_the_one_after_counts_from_the_turn(
    client: redis.Redis, prefix: str
) -> None:
    f = worker(client, prefix, delay=4.0, ahead=2.0)
    for path in ("/1", "/2", "/3"):
        admit(f, A, path)
    first = f.claim()
    assert isinstance(first, Claim) and first.wait == 0  # a new host's turn is now
    f.pace(A)  # its answer began
    f.done(first.host, first.id)
    early = f.claim()  # the turn is 4 s away: too far ahead to claim it yet
    assert isinstance(early, float) and 0 < early <= 2.0
    time.sleep(early)
    turn = next_turn(f, A)
    ahead = f.claim()
    assert isinstance(ahead, Claim) and 0 < ahead.wait <= 2.0
    assert next_turn(f, A) == pytest.approx(turn + 4.0)  # from the turn, not from the claim


@pytest.mark.parametrize(
    ("concurrency", "in_flight", "claimed_ahead"),
    [(1, 0, True), (2, 0, True), (2, 1, False)],
    ids=["nothing-in-flight", "nothing-in-flight-conc2", "one-in-flight-conc2"],
)
def test_only_a_host_with_nothing_in_flight_is_claimed_ahead(
    client: redis.Redis, prefix: str, concurrency: int, in_flight: int, claimed_ahead: bool
) -> None:
    """With a request in flight, the host's next turn is provisional (its answer has not
    begun): it is claimed at the turn, not before. (Ahead more than a delay: the next turn
    is always within reach, however slowly the test runs.)"""
    f = worker(client, prefix, delay=5.0, concurrency=concurrency, ahead=10.0)
    for path in ("/0", "/1", "/2", "/3"):
        admit(f, A, path)
    got = f.claim()
    assert isinstance(got, Claim)
    if not in_flight:
        f.done(got.host, got.id)
    second = f.claim()
    assert isinstance(second, Claim) is claimed_ahead
    if isinstance(second, Claim):
        assert 0 < second.wait <= 5.0
    else:
        assert 0 < second <= 5.0  # it asks again at the turn itself


def test_a_worker_waits_for_no_host_another_worker_owns(client: redis.Redis, prefix: str) -> None:
    """Another worker's host whose turn is past is its owner's to claim: counting it would
    wake this worker every few milliseconds until the owner does."""
    owner, other = worker(client, prefix, delay=0.0), worker(client, prefix, delay=0.0)
    for path in ("/1", "/2"):
        admit(owner, A, path)
    got = owner.claim()
    assert isinstance(got, Claim) and owner.done(got.host, got.id)  # A stays the owner's
    assert other.claim() == -1
    assert isinstance(owner.claim(), Claim)


def test_a_worker_finds_its_own_next_turn_behind_many_hosts_of_another(
    client: redis.Redis, prefix: str
) -> None:
    """The wait reads the ready hosts page by page (32 a page) past other workers' hosts."""
    owner, other = worker(client, prefix, delay=10.0), worker(client, prefix, delay=10.0)
    hosts = [f"http://h{i}.test" for i in range(40)]
    for host in hosts:
        for path in ("/1", "/2"):
            admit(owner, host, path)
    for _ in hosts:  # each host's first turn: its next one is 10 s away, behind the others
        got = owner.claim()
        assert isinstance(got, Claim) and owner.done(got.host, got.id)
    for path in ("/1", "/2"):
        admit(other, A, path)
    got = other.claim()
    assert isinstance(got, Claim) and other.done(got.host, got.id)
    wait = other.claim()
    assert isinstance(wait, float) and 5.0 < wait <= 10.0 - other.ahead


def test_claimed_turns_never_come_closer_than_the_delay_after_an_answer(
    client: redis.Redis, prefix: str
) -> None:
    """The protocol end to end, on one clock: each worker holds its claim ``wait`` seconds
    from when it got it, then sends; the answer begins at once. The host is let go after
    each request (nothing else queued), so the workers take turns serving it."""
    delay = 0.2
    workers = [worker(client, prefix, delay=delay, ahead=0.15) for _ in range(2)]
    sent: list[float] = []
    for step in range(6):
        f = workers[step % 2]
        admit(f, A, f"/{step}")
        for _poll in range(100):  # bounded: a turn comes within a delay
            got = f.claim()
            if isinstance(got, Claim):
                break
            time.sleep(max(got, 0.005))
        assert isinstance(got, Claim)
        time.sleep(got.wait)  # held in the slot to the turn
        sent.append(time.time())
        f.pace(A)  # the answer began
        assert f.done(got.host, got.id)
    gaps = [b - a for a, b in pairwise(sent)]
    assert min(gaps) >= delay, gaps


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
