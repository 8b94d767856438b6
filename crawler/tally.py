"""What a crawl has done so far, read from its Scrapy stats: the numbers progress shows.

Pure: a stats mapping in, a :class:`CrawlTally` out. Stats keys are the crawl's own:
``policy/page/opt_out/<signal>`` counts pages a publisher's signal kept out of
training, ``policy/page/outcome/<name>`` pages not read for a reason of ours (a 304,
a refused type), which are not opt-outs; ``policy/robots/denied`` counts URLs
refused before fetch by robots.txt, ``guard/address/<why>`` those the address guard refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CrawlTally", "tally"]

_STATUS = "downloader/response_status_count/"
_OPT_OUT = "policy/page/opt_out/"
_OUTCOME = "policy/page/outcome/"
_ERRORS = ("downloader/exception_count", "spider_exceptions/count")


@dataclass(frozen=True)
class CrawlTally:
    """The crawl at one moment, in the words of the progress display and summary."""

    fetched: int  # pages the gate decided on (robots.txt and other site files excluded)
    per_host: int  # the job's page budget per host (max_pages_per_host)
    hosts: int  # hosts the crawl has taken URLs of so far
    refused_by_robots: int  # URLs robots.txt (or its absence) refused before fetch
    seconds: float
    statuses: dict[str, int] = field(default_factory=dict)
    opt_outs: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    refused_by_guard: int = 0  # URLs whose host resolved to a non-public address
    errors: int = 0
    bytes: int = 0
    waiting: tuple[str, ...] = ()  # hosts paused or parked by politeness

    @property
    def budget(self) -> int:
        return self.per_host * self.hosts

    @property
    def refused_before_fetch(self) -> int:
        return self.refused_by_robots + self.refused_by_guard

    @property
    def per_minute(self) -> float:
        return 60.0 * self.fetched / self.seconds if self.seconds > 0 else 0.0


def tally(
    stats: Mapping[str, Any],
    *,
    pages_per_host: int,
    hosts: int,
    seconds: float,
    waiting: tuple[str, ...] = (),
) -> CrawlTally:
    """The tally of a crawl whose stats are ``stats``, ``seconds`` after it began."""
    opt_outs = _under(stats, _OPT_OUT)
    outcomes = _under(stats, _OUTCOME)
    return CrawlTally(
        fetched=sum(opt_outs.values())
        + sum(outcomes.values())
        + _int(stats, "policy/page/may_train"),
        per_host=pages_per_host,
        hosts=hosts,
        refused_by_robots=_int(stats, "policy/robots/denied"),
        refused_by_guard=sum(_under(stats, "guard/address/").values()),
        seconds=seconds,
        statuses=_under(stats, _STATUS),
        opt_outs=opt_outs,
        outcomes=outcomes,
        errors=sum(_int(stats, key) for key in _ERRORS),
        bytes=_int(stats, "downloader/response_bytes"),
        waiting=waiting,
    )


def _under(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """Counters below ``prefix``, by the rest of their key, largest first."""
    found = {k.removeprefix(prefix): int(v) for k, v in stats.items() if k.startswith(prefix)}
    return dict(sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))


def _int(stats: Mapping[str, Any], key: str) -> int:
    return int(stats.get(key) or 0)
