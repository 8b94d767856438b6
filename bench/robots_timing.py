"""Time ``can_fetch`` on our engine against the legacy backends on the same inputs.

``bench_can_fetch`` parses each robots.txt once per backend and asks every URL of every
file, keeping the best of ``repeat`` runs (the least disturbed by the machine). Parsing (with
the first-use build of the agent's rules) is timed separately, since a crawler parses once
per host per day and matches per URL.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from policies.backends import RobotsBackend, RobotsParser, get_backend
from policies.errors import BackendError

__all__ = ["bench_can_fetch"]

_BACKENDS = ("gleaner", "protego", "rerp")


def bench_can_fetch(
    robots_files: list[bytes],
    urls: list[str],
    agent: str,
    *,
    repeat: int = 3,
    backends: Sequence[str] = _BACKENDS,
) -> dict[str, dict[str, float]]:
    """Return ``{backend: {parse_s, can_fetch_s, calls, per_call_us}}``.

    The ``gleaner`` entry also has ``ratio_vs_protego``: Protego's ``can_fetch`` time divided
    by ours, so above 1.0 means we are faster. Unavailable backends are left out.
    """
    results: dict[str, dict[str, float]] = {}
    for name in backends:
        try:
            backend = get_backend(name)
        except BackendError:
            continue
        results[name] = _bench_one(backend, robots_files, urls, agent, repeat)
    ours, theirs = results.get("gleaner"), results.get("protego")
    if ours and theirs and ours["can_fetch_s"] > 0:
        ours["ratio_vs_protego"] = theirs["can_fetch_s"] / ours["can_fetch_s"]
    return results


def _bench_one(
    backend: RobotsBackend, files: list[bytes], urls: list[str], agent: str, repeat: int
) -> dict[str, float]:
    parse_s = float("inf")
    parsers: list[RobotsParser] = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        parsers = [backend.parse(body) for body in files]
        # Both engines build an agent's rules on first use: count that as parsing.
        for parser in parsers:
            parser.can_fetch("https://example.com/", agent)
        parse_s = min(parse_s, time.perf_counter() - started)
    fetch_s = float("inf")
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        for parser in parsers:
            for url in urls:
                parser.can_fetch(url, agent)
        fetch_s = min(fetch_s, time.perf_counter() - started)
    calls = float(len(files) * len(urls))
    per_call_us = fetch_s / calls * 1e6 if calls else 0.0
    return {"parse_s": parse_s, "can_fetch_s": fetch_s, "calls": calls, "per_call_us": per_call_us}
