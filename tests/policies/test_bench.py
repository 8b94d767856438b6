"""bench_can_fetch: reports every backend and is at least as fast as Protego."""

from __future__ import annotations

from policies.bench import bench_can_fetch
from tests.policies.conftest import ROBOTS_DIR

URLS = [
    f"https://www.example.com/{path}"
    for path in (
        "",
        "index.html",
        "search?q=x",
        "wp-admin/admin-ajax.php",
        "private/a/b",
        "api/v1/x",
        "images/cat.jpg",
        "tag/news?page=2",
        "ツ/文書",
        "a%2Fb",
        "cart/checkout",
        "static/x.css",
    )
]


def test_bench_reports_each_backend() -> None:
    files = [b"User-agent: *\nDisallow: /private/\n"]
    result = bench_can_fetch(files, URLS, "Gleaner", repeat=1)
    assert set(result) == {"gleaner", "protego", "rerp"}
    for numbers in result.values():
        assert numbers["calls"] == len(URLS)
        assert numbers["can_fetch_s"] > 0


def test_can_fetch_at_least_as_fast_as_protego_on_fixtures() -> None:
    files = [path.read_bytes() for path in sorted(ROBOTS_DIR.glob("*.txt"))]
    result = bench_can_fetch(files, URLS * 20, "Gleaner", repeat=5, backends=("gleaner", "protego"))
    assert result["gleaner"]["ratio_vs_protego"] >= 1.0, result
