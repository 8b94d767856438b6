"""The Lua scripts behind :mod:`crawler.frontier`: each step that must be atomic across workers.

Why scripts: scrapy-redis shares one request queue and one fingerprint set, and pops a
request destructively, so a killed worker loses what it had taken, and nothing in it knows
hosts: no per-host next-allowed time, no per-host concurrency across processes, no host
affinity. Those need "read the host's state, decide, write it back" to happen as one step
whatever other workers do meanwhile; a Lua script runs on the Redis server without any
other command in between. Times come from the server's clock (``TIME``), never a worker's,
so machines with skewed clocks still keep the same pace.

Keys (``P`` is the run's prefix, ``H`` a host's ``scheme://host[:port]``):
``P seen`` set of 8-byte URL digests; ``P budget`` / ``P shapes`` hashes of per-host and
per-shape counts (the trap budgets); ``P q:H`` list of queued payloads (JSON);
``P ready`` zset of hosts with queued work, scored by when they may be claimed;
``P host:H`` hash ``next`` (next allowed time), ``delay``, ``owner``, ``inflight``;
``P fl:H`` hash id → payload of requests in flight; ``P leases`` zset of owned hosts scored
by lease expiry; ``P owned:W`` set of the hosts worker ``W`` owns. Key names are built in
the scripts, which a single Redis server allows (a Redis Cluster would not).
"""

from __future__ import annotations

__all__ = ["ADMIT", "CLAIM", "DONE", "GIVE_BACK", "PACE", "RENEW", "SET_DELAY"]

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
"""

#: ARGV: prefix, digest, host, budget key, shape, max_per_shape, max_per_host, payload (no
#: id yet). The budget key is the spider's (``host[:port]``: one budget for http and https).
#: Returns seen | trap | budget | queued, in the single-machine spider's order of checks.
ADMIT = """
local p, host, budget = ARGV[1], ARGV[3], ARGV[4]
if redis.call('SISMEMBER', p .. 'seen', ARGV[2]) == 1 then return 'seen' end
if redis.call('HINCRBY', p .. 'shapes', ARGV[5], 1) > tonumber(ARGV[6]) then return 'trap' end
if tonumber(redis.call('HGET', p .. 'budget', budget) or 0) >= tonumber(ARGV[7]) then
  return 'budget'
end
redis.call('HINCRBY', p .. 'budget', budget, 1)
redis.call('SADD', p .. 'seen', ARGV[2])
local item = cjson.decode(ARGV[8])
item['id'] = redis.call('INCR', p .. 'ids')
redis.call('RPUSH', p .. 'q:' .. host, cjson.encode(item))
local nxt = tonumber(redis.call('HGET', p .. 'host:' .. host, 'next') or 0)
redis.call('ZADD', p .. 'ready', 'NX', nxt, host)
return 'queued'
"""

#: ARGV: prefix, worker, lease seconds, per-host concurrency, scan limit, default delay,
#: seconds ahead. First, hosts whose lease expired (their owner died or stalled) give their
#: in-flight requests back to the front of their queue. Then the first host this worker may
#: serve (unowned, or its own; under the concurrency) whose turn comes within ``ahead``
#: seconds gives one request; its next allowed time moves a delay past that turn, and this
#: worker holds its lease. Returns {host, payload, seconds until the turn} or
#: {'', seconds until this worker may claim again, or -1 when nothing is its to claim}.
#:
#: Why ahead: claiming a turn, building the request and passing it through the middlewares
#: take tens of milliseconds, more on a loaded machine, and all of it used to come after the
#: turn, stretching every gap. Claimed ahead, the request waits in the worker's download slot,
#: held until the turn (:func:`crawler._scrapy_slots.hold_request`), so the turn itself is
#: never earlier. Only a host with nothing in flight is claimed ahead: then every answer
#: has begun and moved ``next`` a delay past it (PACE), so ``next`` is a final floor.
CLAIM = (
    _NOW
    + """
local p, me = ARGV[1], ARGV[2]
local lease, conc, scan = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local ahead = tonumber(ARGV[7])
for _, host in ipairs(redis.call('ZRANGEBYSCORE', p .. 'leases', '-inf', now, 'LIMIT', 0, scan)) do
  local h, fl = p .. 'host:' .. host, p .. 'fl:' .. host
  local back = redis.call('HVALS', fl)
  table.sort(back)
  for i = #back, 1, -1 do redis.call('LPUSH', p .. 'q:' .. host, back[i]) end
  redis.call('INCRBY', p .. 'requeued', #back)
  redis.call('DEL', fl)
  local owner = redis.call('HGET', h, 'owner')
  if owner then redis.call('SREM', p .. 'owned:' .. owner, host) end
  redis.call('HDEL', h, 'owner')
  redis.call('HSET', h, 'inflight', 0)
  redis.call('ZREM', p .. 'leases', host)
  if redis.call('LLEN', p .. 'q:' .. host) > 0 then
    redis.call('ZADD', p .. 'ready', tonumber(redis.call('HGET', h, 'next') or 0), host)
  end
end
local function mine(h)  -- the host is unowned or this worker's; what it has in flight
  local owner = redis.call('HGET', h, 'owner')
  return not owner or owner == me, tonumber(redis.call('HGET', h, 'inflight') or 0)
end
local due = redis.call('ZRANGEBYSCORE', p .. 'ready', '-inf', now + ahead, 'LIMIT', 0, scan)
for _, host in ipairs(due) do
  local h = p .. 'host:' .. host
  local ours, inflight = mine(h)
  local turn = math.max(now, tonumber(redis.call('HGET', h, 'next') or 0))
  local early = inflight == 0 and turn <= now + ahead
  if ours and inflight < conc and (turn <= now or early) then
    local payload = redis.call('LPOP', p .. 'q:' .. host)
    if payload then
      local delay = tonumber(redis.call('HGET', h, 'delay') or ARGV[6])
      redis.call('HSET', p .. 'fl:' .. host, cjson.decode(payload)['id'], payload)
      redis.call('HSET', h, 'owner', me, 'inflight', inflight + 1, 'next', turn + delay)
      redis.call('SADD', p .. 'owned:' .. me, host)
      redis.call('ZADD', p .. 'leases', now + lease, host)
      if redis.call('LLEN', p .. 'q:' .. host) > 0 then
        redis.call('ZADD', p .. 'ready', turn + delay, host)
      else
        redis.call('ZREM', p .. 'ready', host)
      end
      return {host, payload, tostring(turn - now)}
    end
    redis.call('ZREM', p .. 'ready', host)
  end
end
-- Nothing now: when may this worker claim next? Not for hosts other workers own (their
-- lease running out is caught by the caller's bounded poll), nor its own at their
-- concurrency (an answer ending wakes it): counted, a host whose turn is past would wake
-- it in vain every few milliseconds until their owner claims or the slow answer ends.
local best, from, page = -1, 0, 32  -- read by pages: the first host of its own ends it
while from < scan do
  local queued = redis.call('ZRANGE', p .. 'ready', from, from + page - 1, 'WITHSCORES')
  for i = 1, #queued, 2 do
    local soonest = tonumber(queued[i + 1]) - ahead - now
    if best >= 0 and soonest >= best then return {'', tostring(best)} end  -- rest: later
    local ours, inflight = mine(p .. 'host:' .. queued[i])
    if ours and inflight < conc then
      local wait = math.max(0, inflight == 0 and soonest or soonest + ahead)
      if best < 0 or wait < best then best = wait end
    end
  end
  if #queued < 2 * page then break end
  from = from + page
end
return {'', tostring(best)}
"""
)

_RELEASE = """
local function release(p, me, host, id)
  local h = p .. 'host:' .. host
  -- Only the owner's: a worker whose lease ran out lost its requests to the next owner.
  if redis.call('HGET', h, 'owner') ~= me then return 0 end
  if redis.call('HDEL', p .. 'fl:' .. host, id) == 0 then return 0 end
  local left = redis.call('HINCRBY', h, 'inflight', -1)
  if left <= 0 and redis.call('LLEN', p .. 'q:' .. host) == 0 then
    redis.call('HDEL', h, 'owner')
    redis.call('ZREM', p .. 'leases', host)
    redis.call('SREM', p .. 'owned:' .. me, host)
  end
  return 1
end
"""

#: ARGV: prefix, worker, host, id. The request is finished: out of flight; a host with
#: nothing left in flight or queued is let go. Returns 0 when another worker had taken
#: the request back (this worker's lease had expired).
DONE = _RELEASE + "return release(ARGV[1], ARGV[2], ARGV[3], ARGV[4])"

#: ARGV: prefix, worker, old host, old id, new host, payload. A claimed request comes
#: back (a retry, a redirect, a host pause): out of flight and, in the same step, to the
#: front of its host's queue under a new id, so it is neither lost nor fetched twice.
GIVE_BACK = (
    _RELEASE
    + """
local p, host = ARGV[1], ARGV[5]
if release(p, ARGV[2], ARGV[3], ARGV[4]) == 0 then return 0 end  -- taken back already
local item = cjson.decode(ARGV[6])
item['id'] = redis.call('INCR', p .. 'ids')
redis.call('LPUSH', p .. 'q:' .. host, cjson.encode(item))
local nxt = tonumber(redis.call('HGET', p .. 'host:' .. host, 'next') or 0)
redis.call('ZADD', p .. 'ready', 'NX', nxt, host)
return 1
"""
)

#: ARGV: prefix, host, seconds (or '' for the host's delay). No request of the host may
#: be claimed before now + seconds: the answer to its last request began (the delay counts
#: from a moment the server surely had the request), or it asked for a pause.
PACE = (
    _NOW
    + """
local p, host = ARGV[1], ARGV[2]
local h = p .. 'host:' .. host
local wait = tonumber(ARGV[3]) or tonumber(redis.call('HGET', h, 'delay') or ARGV[4])
local nxt = math.max(now + wait, tonumber(redis.call('HGET', h, 'next') or 0))
redis.call('HSET', h, 'next', nxt)
redis.call('ZADD', p .. 'ready', 'XX', 'GT', nxt, host)
return tostring(nxt)
"""
)

#: ARGV: prefix, host, delay. The host's delay between requests (min_delay, raised by a
#: Crawl-delay), the same for every worker.
SET_DELAY = "return redis.call('HSET', ARGV[1] .. 'host:' .. ARGV[2], 'delay', ARGV[3])"

#: ARGV: prefix, worker token, lease seconds, worker name. The worker is alive: its hosts'
#: leases run on, and its name's ``alive`` key says so to workers adopting dead ones' files.
RENEW = (
    _NOW
    + """
local p, me, lease = ARGV[1], ARGV[2], tonumber(ARGV[3])
redis.call('SET', p .. 'alive:' .. ARGV[4], '1', 'PX', math.floor(lease * 1000))
redis.call('SET', p .. 'live', '1', 'PX', math.floor(lease * 1000))
for _, host in ipairs(redis.call('SMEMBERS', p .. 'owned:' .. me)) do
  if redis.call('HGET', p .. 'host:' .. host, 'owner') == me then
    redis.call('ZADD', p .. 'leases', 'XX', now + lease, host)
  else
    redis.call('SREM', p .. 'owned:' .. me, host)
  end
end
return 1
"""
)
