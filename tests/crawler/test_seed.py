"""The seed spider's frontier hygiene, judged by what the publisher saw."""

from __future__ import annotations

import json
from pathlib import Path

from tests.crawler.conftest import Publisher, crawl, page, text

ROBOTS = text("User-agent: *\nAllow: /\n")


def test_traps_and_session_ids_do_not_multiply_pages(tmp_path: Path, publisher: Publisher) -> None:
    months = [f"/cal/2031/{m}" for m in range(1, 9)]
    sessions = ["/a?sid=1", "/a?sid=2", "/a;jsessionid=3"]
    publisher.routes = {"/robots.txt": ROBOTS, "/a": page("A")}
    publisher.routes |= {m: page(m) for m in months}
    publisher.routes["/"] = page("Home", *months, *sessions, "/x/y/x/y/x/y")
    run = crawl(tmp_path, publisher.url + "/", settings=("GUARD_MAX_PER_SHAPE=3",))
    paths = publisher.paths()
    assert sorted(p for p in paths if p.startswith("/cal/")) == months[:3]
    assert len([p for p in paths if p.startswith("/a")]) == 1
    assert "/x/y/x/y/x/y" not in paths
    stats = json.loads((run / "stats.json").read_text())
    assert stats["scope/trap/too_many_of_one_shape"] == 5
    assert stats["scope/trap/repeated_path_segment"] == 1
