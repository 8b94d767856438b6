"""A crawl frontier in Redis that several crawl workers share (``--frontier redis://...``).

One job's run lives under the prefix ``gleaner:<job>:<run>:``; ``gleaner:<job>:current``
names the run that workers join. The frontier keeps what one process keeps in memory and
in its run state on one machine: the seen-set (8-byte digests, as
:class:`crawler.digest_set.DigestSet`), the trap budgets (pages per host, URLs per shape),
the queue of each host, and for each host its next allowed time, its delay, its owner and
what is in flight. Every step that reads and writes these is one Lua script
(:mod:`crawler._frontier_scripts`, which says why scrapy-redis does not serve), so two
workers never claim one host's turn or one URL.

Nothing here imports Scrapy: :mod:`crawler.cluster` adapts it to a Scrapy scheduler.
"""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import redis

from crawler import _frontier_scripts as lua
from crawler.digest_set import digest
from crawler.errors import FrontierError, SettingError
from crawler.urls import host_key, shape

__all__ = ["CLAIM_AHEAD", "Claim", "Frontier", "RunSlot", "connect", "frontier_for", "join_run"]


@dataclass(frozen=True)
class Claim:
    """One request a worker may send once ``wait`` seconds have passed: its host, id and
    payload (url, depth, kind ...)."""

    host: str
    id: str
    item: dict[str, Any]
    wait: float = 0.0


@dataclass(frozen=True)
class RunSlot:
    """The run a worker joined: the run folder's name and whether it started it."""

    name: str
    started: bool


#: Seconds before a host's turn that a worker may claim it, so that the request is built and
#: waiting in its download slot when the turn comes (see CLAIM in the scripts): more than
#: the tens of milliseconds that takes on a loaded machine, well under any delay.
CLAIM_AHEAD = 0.25

_FRONTIERS: dict[tuple[str, str, str], Frontier] = {}
_F = TypeVar("_F", bound=Callable[..., Any])


def frontier_for(settings: Any) -> Frontier | None:
    """This process's handle on the frontier the settings name; None on one machine."""
    url = settings.get("FRONTIER_URL")
    if not url:
        return None
    prefix, worker = settings.get("FRONTIER_PREFIX"), settings.get("FRONTIER_WORKER")
    if not prefix or not worker:
        raise SettingError("FRONTIER_PREFIX", prefix, "must be set with FRONTIER_URL")
    key = (url, prefix, worker)
    if key not in _FRONTIERS:
        lease = settings.getfloat("FRONTIER_LEASE")
        if lease < 2:
            raise SettingError("FRONTIER_LEASE", lease, "must be >= 2 seconds")
        _FRONTIERS[key] = Frontier(
            connect(url),
            prefix,
            lease=lease,
            concurrency=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            min_delay=max(1.0, settings.getfloat("DOWNLOAD_DELAY")),
            worker=worker,
        )
    return _FRONTIERS[key]


def connect(url: str) -> redis.Redis:
    """A client for ``redis://HOST:PORT/DB``; a server that does not answer is an error."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=5)
        client.ping()
    except (ValueError, redis.RedisError) as exc:
        raise FrontierError(f"frontier {url}: cannot use it: {exc}") from exc
    return client


def _redis_errors(method: _F) -> _F:
    """A Redis that fails a step is a :class:`FrontierError` (one line), never a traceback."""

    @functools.wraps(method)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except redis.RedisError as exc:
            raise FrontierError(f"frontier: {method.__name__} failed: {exc}") from exc

    return cast("_F", guarded)


@_redis_errors
def join_run(
    client: redis.Redis, job: str, new_name: str, *, resume: bool, lease: float = 30.0
) -> RunSlot:
    """The run to crawl in: the job's live run, else (``resume``) its unfinished one, else
    ``new_name``, started now.

    A run is live while any of its workers renews its leases (the ``live`` key), as on one
    machine a crawl without ``--resume`` starts afresh unless it joins workers at work.
    Two terminals starting at once start one run: the name is set only if the current
    one is still what we read (WATCH), else we read again and join the winner's.
    """
    current = f"gleaner:{job}:current"
    for _attempt in range(10):  # bounded: each retry means another worker won a race
        with client.pipeline() as pipe:
            try:
                pipe.watch(current)  # type: ignore[no-untyped-call]
                name = _text(pipe.get(current))
                run = f"gleaner:{job}:{name}:"
                unfinished = name and not pipe.exists(run + "finished")
                if unfinished and (resume or pipe.exists(run + "live")):
                    return RunSlot(str(name), started=False)
                if resume:
                    raise FrontierError(
                        f"frontier: no unfinished run of job {job!r} to resume; "
                        "run without --resume to start a new crawl"
                    )
                pipe.multi()
                pipe.set(current, new_name)
                pipe.set(f"gleaner:{job}:{new_name}:live", "1", px=int(lease * 1000))
                pipe.execute()
                return RunSlot(new_name, started=True)
            except redis.WatchError:
                continue
    raise FrontierError(f"frontier: could not join job {job!r}: too many workers raced")


class Frontier:
    """One worker's handle on the shared frontier of one run."""

    def __init__(
        self,
        client: redis.Redis,
        prefix: str,
        *,
        lease: float,
        concurrency: int,
        min_delay: float,
        worker: str | None = None,
        ahead: float = CLAIM_AHEAD,
    ) -> None:
        self.client, self.prefix = client, prefix
        self.lease, self.concurrency, self.min_delay = lease, concurrency, min_delay
        self.ahead = ahead
        self.worker = worker or self.new_worker()
        self._say_alive()
        # The owner token is unique per process: a restarted worker with the same name
        # never mistakes a dead process's leases for its own.
        self.token = f"{self.worker}/{secrets.token_hex(4)}"
        self._scripts = {name: client.register_script(getattr(lua, name)) for name in lua.__all__}

    @_redis_errors
    def _say_alive(self) -> None:
        self.client.set(self.prefix + "alive:" + self.worker, "1", px=int(self.lease * 1000))

    @_redis_errors
    def new_worker(self) -> str:
        """A worker name unique in this run: its files in the run folder carry it."""
        number = int(cast("Any", self.client.incr(self.prefix + "workers")))
        return f"w{number:03d}"

    def admit(self, key: str, host: str, item: dict[str, Any], limits: Sequence[int]) -> str:
        """Queue a newly found URL unless seen or over a budget: seen|trap|budget|queued.

        ``key`` is its seen-set key, ``host`` its queue's ``scheme://host[:port]``; the page
        budget and the shape budget count as the single-machine spider counts them.
        """
        found = digest(key).to_bytes(8, "little")
        per_shape, per_host = limits
        url = item["url"]
        args = [self.prefix, found, host, host_key(url), shape(url), per_shape, per_host]
        args.append(json.dumps(item))
        return _text(self._run("ADMIT", args)) or ""

    @_redis_errors
    def hosts(self) -> int:
        """How many hosts (budget keys, ``host[:port]``) the run has admitted a URL of."""
        return int(cast("Any", self.client.hlen(self.prefix + "budget")))

    def claim(self) -> Claim | float:
        """A request whose host's turn comes within ``ahead`` seconds, or how long until
        this worker may claim one (-1: nothing it may serve is queued).

        ``Claim.wait`` counts from the server's answer, so a worker that holds the request
        for ``wait`` seconds from when it got the answer sends it no sooner than the turn.
        """
        args = [self.prefix, self.token, self.lease, self.concurrency, 1000, self.min_delay]
        got = [_text(x) or "" for x in self._run("CLAIM", [*args, self.ahead])]
        if not got[0]:
            return float(got[1])
        item = json.loads(got[1])
        return Claim(got[0], str(item.pop("id")), item, wait=float(got[2]))

    def done(self, host: str, request_id: str) -> bool:
        """The request is finished; False when another worker had taken it back."""
        return bool(self._run("DONE", [self.prefix, self.token, host, request_id]))

    def give_back(self, host: str, request_id: str, new_host: str, item: dict[str, Any]) -> None:
        """A claimed request returns to the front of (its new) host's queue, at once."""
        args = [self.prefix, self.token, host, request_id, new_host, json.dumps(item)]
        self._run("GIVE_BACK", args)

    def pace(self, host: str, seconds: float | None = None) -> None:
        """No request of ``host`` before now + ``seconds`` (default: the host's delay)."""
        wait = "" if seconds is None else repr(float(seconds))
        self._run("PACE", [self.prefix, host, wait, self.min_delay])

    def set_delay(self, host: str, delay: float) -> None:
        self._run("SET_DELAY", [self.prefix, host, repr(float(delay))])

    def renew(self) -> None:
        """Keep this worker's leases (call well within the lease time)."""
        self._run("RENEW", [self.prefix, self.token, self.lease, self.worker])

    @_redis_errors
    def alive(self, worker: str) -> bool:
        """Whether ``worker`` renewed its leases within the lease time."""
        return bool(self.client.exists(self.prefix + "alive:" + worker))

    @_redis_errors
    def closed(self, worker: str) -> bool:
        """Whether ``worker`` ended and closed its files itself."""
        return bool(self.client.exists(self.prefix + "closed:" + worker))

    @_redis_errors
    def mark_closed(self) -> None:
        """This worker ended: its files are complete; nobody need wait for its lease."""
        with self.client.pipeline() as pipe:
            pipe.set(self.prefix + "closed:" + self.worker, "1")
            pipe.delete(self.prefix + "alive:" + self.worker)
            pipe.execute()

    @_redis_errors
    def adopt(self, worker: str) -> bool:
        """Take a dead worker's files (once, for one worker only)."""
        return bool(self.client.set(self.prefix + "adopted:" + worker, self.worker, nx=True))

    @_redis_errors
    def busy(self) -> bool:
        """Anything queued or in flight anywhere in the cluster (or not yet seeded)."""
        with self.client.pipeline(transaction=False) as pipe:
            pipe.zcard(self.prefix + "ready")
            pipe.zcard(self.prefix + "leases")
            pipe.exists(self.prefix + "seeded")
            ready, leased, seeded = pipe.execute()
        return bool(ready or leased or not seeded)

    @_redis_errors
    def mark_seeded(self) -> None:
        """This worker's seeds are queued: an empty frontier from now on means done."""
        self.client.set(self.prefix + "seeded", "1")

    @_redis_errors
    def mark_finished(self) -> None:
        self.client.set(self.prefix + "finished", "1")

    def _run(self, name: str, args: Sequence[Any]) -> Any:
        try:
            return self._scripts[name](args=list(args))
        except redis.RedisError as exc:
            raise FrontierError(f"frontier: {name.lower()} failed: {exc}") from exc


def _text(value: Any) -> str | None:
    return value.decode() if isinstance(value, bytes) else value
