"""The dry run: each seed judged as the crawl would judge it first, with a stub resolver."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.jobspec import load_job
from crawler.preflight import preflight, resolve_host
from tests.crawler.conftest import write_job

NAMES = {
    "allowed.test": ["127.0.0.1"],
    "intranet.test": ["127.1.2.3"],
    "two.test": ["127.0.0.1", "127.0.0.5"],
}


def resolve(host: str) -> list[str]:
    return NAMES.get(host, [host] if host.replace(".", "").isdigit() else [])


@pytest.mark.parametrize(
    ("seed", "refused"),
    [
        ("http://127.0.0.1:8000/", None),
        ("http://allowed.test/", None),
        ("http://ALLOWED.test./a", None),  # one host however it is written
        ("http://sub.allowed.test/", "address guard: sub.allowed.test does not resolve"),
        ("http://intranet.test/", "address guard: intranet.test → 127.1.2.3 (loopback; see"),
        ("http://two.test/", "address guard: two.test → 127.0.0.5 (loopback;"),  # any address
        ("http://127.0.0.9/", "address guard: 127.0.0.9 (loopback;"),
        ("http://elsewhere.example/", "scope: elsewhere.example is not in [scope] allowed_hosts"),
    ],
)
def test_each_seed_is_judged_by_scope_then_the_address_guard(
    tmp_path: Path, seed: str, refused: str | None
) -> None:
    hosts = ("127.0.0.1", "127.0.0.9", "allowed.test", "intranet.test", "two.test")
    job = load_job(write_job(tmp_path, seed, hosts=hosts))
    [check] = preflight(job, resolve=resolve)
    assert check.url == seed and check.kind == "seed"
    if refused is None:
        assert check.refused is None
    else:
        assert check.refused is not None and check.refused.startswith(refused)


def test_a_sitemap_is_not_held_to_the_scope_but_is_to_the_guard(tmp_path: Path) -> None:
    path = write_job(tmp_path, "http://127.0.0.1/")
    path.write_text(
        path.read_text().replace(
            "seeds = [", 'sitemaps = ["http://intranet.test/s.xml"]\nseeds = ['
        )
    )
    sitemap, seed = preflight(load_job(path), resolve=resolve)
    assert sitemap.kind == "sitemap" and sitemap.refused is not None
    assert sitemap.refused.startswith("address guard: intranet.test")
    assert seed.refused is None


@pytest.mark.parametrize(
    ("overrides", "refused"),
    [
        ({}, True),
        ({"GUARD_ALLOW_PRIVATE": "127.0.0.0/8"}, False),  # -s wins over the job, as in a crawl
        ({"GUARD_ENABLED": "False"}, False),
    ],
)
def test_command_line_settings_count_as_in_a_crawl(
    tmp_path: Path, overrides: dict[str, str], refused: bool
) -> None:
    job = load_job(write_job(tmp_path, "http://127.0.0.7/", hosts=()))
    [check] = preflight(job, overrides, resolve=resolve)
    assert (check.refused is not None) is refused


def test_the_real_resolver_answers_an_ip_literal_with_itself() -> None:
    assert resolve_host("127.0.0.1") == ["127.0.0.1"]
