"""robots.txt answers shared by the workers of one frontier: fetched once per host per TTL.

The worker that takes a host's lock fetches robots.txt (and the TDMRep file), archives
them in its WARC and logs the robots row; it stores what it received, the status and the
bytes, under the run's prefix until the entry expires. Every other worker parses those
same bytes with the same parser, so all decide from one copy of the file. The bytes, not
a pickled parser: nothing a Redis holds is ever run as code here.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import redis

import policies
from crawler.errors import FrontierError

__all__ = ["SharedRobots", "Stored", "parse_robots", "parse_tdmrep"]

#: What the fetching worker stores: ``status`` None when robots.txt was unreachable.
Stored = dict[str, Any]


def parse_robots(status: int | None, body: bytes) -> policies.RobotsTxt:
    if status is None:
        return policies.RobotsTxt.unreachable()
    return policies.RobotsTxt.parse(body, status=status)


def parse_tdmrep(answer: tuple[int, bytes] | None) -> policies.TdmRepFile | None:
    return None if answer is None else policies.TdmRepFile.parse(answer[1], status=answer[0])


class SharedRobots:
    """The run's robots.txt answers in Redis, and the lock of the one worker fetching."""

    def __init__(self, client: redis.Redis, prefix: str, lock_seconds: float) -> None:
        self.client, self.prefix, self.lock_seconds = client, prefix, lock_seconds
        self.token = secrets.token_hex(8)

    def get(self, key: str) -> Stored | None:
        raw = self._call(self.client.hgetall, self.prefix + "robots:" + key)
        if not raw:
            return None
        data = {k.decode(): v for k, v in raw.items()}
        tdm = data.get("tdmrep_status", b"")
        return {
            "status": int(data["status"]) if data["status"] else None,
            "body": data["body"],
            "fetched_at": datetime.fromisoformat(data["fetched_at"].decode()),
            "expires": float(data["expires"]),
            "tdmrep": (int(tdm), data["tdmrep_body"]) if tdm else None,
        }

    def lock(self, key: str) -> bool:
        """Take the host's fetch; False when another worker is fetching it."""
        name = self.prefix + "robots-lock:" + key
        ms = int(self.lock_seconds * 1000)
        return bool(self._call(self.client.set, name, self.token, nx=True, px=ms))

    def put(self, key: str, stored: Stored) -> None:
        """Keep the answer until it expires, and let go of the lock."""
        tdm = stored["tdmrep"]
        fields: Any = {
            "status": "" if stored["status"] is None else str(stored["status"]),
            "body": stored["body"],
            "fetched_at": stored["fetched_at"].isoformat(),
            "expires": repr(stored["expires"]),
            "tdmrep_status": "" if tdm is None else str(tdm[0]),
            "tdmrep_body": b"" if tdm is None else tdm[1],
        }
        name = self.prefix + "robots:" + key
        with self.client.pipeline() as pipe:
            pipe.hset(name, mapping=fields)
            pipe.expireat(name, max(1, int(stored["expires"])))
            self._call(pipe.execute)

    def unlock(self, key: str) -> None:
        name = self.prefix + "robots-lock:" + key
        if self._call(self.client.get, name) == self.token.encode():
            self._call(self.client.delete, name)

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except redis.RedisError as exc:
            raise FrontierError(f"frontier: robots.txt store failed: {exc}") from exc
