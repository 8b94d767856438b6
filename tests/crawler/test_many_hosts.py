"""Many hosts at once: politeness is per host, so a crawl's speed comes from serving them
in parallel. Requests that wait out a host's delay must not hold back the other hosts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawler.conftest import Publisher, crawl, page, text

HOSTS = 24
PAGES = [f"/p{i}" for i in range(5)]


@pytest.fixture
def publishers() -> Iterator[list[Publisher]]:
    started = []
    try:
        for _ in range(HOSTS):
            routes: dict[str, object] = {"/robots.txt": text("User-agent: *\nAllow: /\n")}
            routes["/"] = page("Home", *PAGES)
            routes |= {p: page(p) for p in PAGES}
            publisher = Publisher(routes=routes)  # type: ignore[arg-type]
            publisher.start()
            started.append(publisher)
        yield started
    finally:
        for publisher in started:
            publisher.stop()


def test_every_host_is_started_before_any_host_is_far_along(
    tmp_path: Path, publishers: list[Publisher]
) -> None:
    crawl(tmp_path, *(p.url + "/" for p in publishers))
    for publisher in publishers:
        assert set(PAGES) <= set(publisher.paths())  # each host crawled whole
    firsts = [publisher.log[0][0] for publisher in publishers]
    # At one request per second per host, a host's fourth request comes >= 3 s after its
    # first: every host must have been asked by then (hosts served one batch after another
    # would start the last ones only after the first ones were done).
    fourths = [publisher.log[3][0] for publisher in publishers]
    assert max(firsts) < min(fourths)
