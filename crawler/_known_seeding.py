"""A run's known URLs go into its frontier once, whoever starts first.

On one machine the spider yields them all, then its seeds. On a shared frontier the first
worker to ask takes the run's seeding (the key ``P known:seeder`` names it): it merges the
job's known files (:func:`crawler.known.known_base`) and yields every URL, which the
scheduler admits to the frontier with its validators, so whichever worker fetches a URL
sends the conditional GET; then it says so (``P known:seeded``). The others wait for that,
fetching meanwhile, before they admit their own seeds: a seed admitted first would take a
known URL's place in the seen-set without its validators (a link found meanwhile still
may: the worker that fetches it finds them in the run's base, :func:`crawler.known.look_up`,
when it shares the run folder). A seeder that dies (its
``alive`` key runs out with its lease) is replaced by the next worker to ask, whose URLs
the seen-set has already got are not queued twice. A resumed run whose seeding finished
reads no known file again.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import redis
from scrapy.utils.asyncio import run_in_thread, sleep

from crawler.known import Known, known_base, read_known

if TYPE_CHECKING:
    from crawler.frontier import Frontier

__all__ = ["known_requests"]

_POLL = 0.5  # seconds between asks while another worker seeds

# ARGV: prefix, worker. Returns done (seeded already), mine, or wait (a live worker seeds).
_TURN = """
local p, me = ARGV[1], ARGV[2]
if redis.call('EXISTS', p .. 'known:seeded') == 1 then return 'done' end
local holder = redis.call('GET', p .. 'known:seeder')
if holder and holder ~= me and redis.call('EXISTS', p .. 'alive:' .. holder) == 1 then
  return 'wait'
end
redis.call('SET', p .. 'known:seeder', me)
return 'mine'
"""

_R = TypeVar("_R")


async def known_requests(
    run_dir: Path,
    frontier: Frontier | None,
    make: Callable[[Known], _R | None],
    log: logging.Logger | Any,
) -> AsyncIterator[_R]:
    """The requests for the job's known URLs this process should yield (see above)."""
    try:
        if frontier is not None and not await _my_turn(frontier):
            return
        # Merging a large job's files takes a while: off the reactor, whose heartbeat
        # keeps this worker's leases (and so its seeding) its own meanwhile.
        base = await run_in_thread(known_base, run_dir)
        for known in read_known(base):
            request = make(known)
            if request is not None:
                yield request
        if frontier is not None:  # every request yielded is in the frontier by now
            frontier.client.set(frontier.prefix + "known:seeded", "1")
    except redis.RedisError as exc:
        log.warning("frontier: known URLs: %s", exc)  # the scheduler stops the worker


async def _my_turn(frontier: Frontier) -> bool:
    """Whether this worker seeds; False once another worker has (waits while one does).

    The wait lasts while the seeder renews its lease: it ends when it finishes or dies.
    """
    turn = frontier.client.register_script(_TURN)
    while True:
        answer = bytes(turn(args=[frontier.prefix, frontier.worker]))
        if answer in (b"done", b"mine"):
            return answer == b"mine"
        await sleep(_POLL)
