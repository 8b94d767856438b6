"""Row "robots.txt": our engine's ``can_fetch`` and parse against Protego's, same files and URLs.

Inputs are the robots.txt fixtures of the test suite (real-world shapes: news sites blocking AI
crawlers, shops with wildcards, a large portal) and URLs built from the paths they mention,
so most calls exercise real rules rather than falling through to "no match".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from bench.results import Result, Side, Unavailable
from bench.robots_timing import bench_can_fetch
from record.tokens import CRAWL_TOKEN

if TYPE_CHECKING:
    from collections.abc import Iterator

    from bench.context import BenchContext

__all__ = ["robots_vs_protego"]

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "data" / "robots"
_PATH = re.compile(rb"^\s*(?:allow|disallow)\s*:\s*(/\S*)", re.IGNORECASE | re.MULTILINE)
_AGENT = CRAWL_TOKEN


def robots_vs_protego(ctx: BenchContext) -> Iterator[Result]:
    """Two results: ``can_fetch`` calls per second, and robots.txt files parsed per second."""
    files = [p.read_bytes() for p in sorted(FIXTURES.glob("*.txt"))]
    urls = _urls(files, limit=60 if ctx.smoke else 400)
    timings = bench_can_fetch(files, urls, _AGENT, repeat=1 if ctx.smoke else 5,
                              backends=("gleaner", "protego"))  # fmt: skip
    calls = len(files) * len(urls)
    yield Result(
        "robots can_fetch",
        _side(timings.get("gleaner"), "can_fetch_s", calls),
        _side(timings.get("protego"), "can_fetch_s", calls),
        unit="calls/s",
    )
    yield Result(
        "robots parse",
        _side(timings.get("gleaner"), "parse_s", len(files)),
        _side(timings.get("protego"), "parse_s", len(files)),
        unit="files/s",
    )


def _side(timing: dict[str, float] | None, key: str, count: int) -> Side | Unavailable:
    if timing is None or not timing.get(key):
        return Unavailable("backend not installed")
    seconds = timing[key]
    return Side(rate=count / seconds, seconds=round(seconds, 6), docs_in=count, docs_out=count)


def _urls(files: list[bytes], limit: int) -> list[str]:
    """URLs from the rule paths in the files (wildcards made concrete), plus plain pages."""
    paths: list[str] = []
    for body in files:
        for raw in _PATH.findall(body):
            path = raw.decode("utf-8", "replace").replace("*", "x").rstrip("$")
            paths += [path, path + "page.html", path + "?q=1"]
    paths += [f"/articles/{i}/story.html" for i in range(50)]
    unique = list(dict.fromkeys(paths))[:limit]
    return [f"https://example.com{p}" for p in unique]
