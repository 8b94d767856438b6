"""A DNS resolver stub for crawls under test: a few made-up names, loopback answers only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

NAMES = {
    "allowed.test": "127.0.0.1",  # allow-listed in the test job
    "intranet.test": "127.1.2.3",  # loopback, not allow-listed
}


class StubResolver(CachingThreadedResolver):
    """``DNS_RESOLVER`` for tests: answers from ``NAMES``; IP literals resolve to themselves."""

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Any:
        name = name.rstrip(".")  # as real resolvers: ``allowed.test.`` is ``allowed.test``
        if name in NAMES:
            return defer.succeed(NAMES[name])
        if name.replace(".", "").isdigit():
            return defer.succeed(name)
        return defer.fail(DNSLookupError(name))
