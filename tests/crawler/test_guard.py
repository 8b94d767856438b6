"""The address guard: judged by which loopback servers saw a request, and the decision log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from crawler.errors import SettingError
from crawler.guard import address_refusal, parse_networks
from tests.crawler.conftest import Publisher, crawl, page, text

ROBOTS = text("User-agent: *\nAllow: /\n")
RESOLVER = "DNS_RESOLVER=tests.crawler.stub_resolver.StubResolver"


@pytest.mark.parametrize(
    ("address", "allowed", "why"),
    [
        ("127.0.0.1", ["127.0.0.1"], None),
        ("127.0.0.2", ["127.0.0.1"], "loopback"),
        ("127.1.2.3", ["127.0.0.0/8"], None),
        ("::1", ["127.0.0.1"], "loopback"),
        ("0.0.0.0", [], "unspecified"),
        ("224.0.0.251", [], "multicast"),
        ("240.0.0.1", [], "reserved"),
        ("fe80::1", [], "link-local"),
        ("not-an-ip", [], "unparseable address"),
    ],
)
def test_address_refusal(address: str, allowed: list[str], why: str | None) -> None:
    assert address_refusal(address, parse_networks(allowed)) == why


def test_a_bad_allow_list_entry_is_refused_by_value() -> None:
    with pytest.raises(SettingError, match=r"GUARD_ALLOW_PRIVATE \('intranet'\)"):
        parse_networks(["intranet"])


@pytest.fixture
def other() -> Iterator[Publisher]:
    """A second server on a loopback address that is not allow-listed."""
    pub = Publisher(routes={"/robots.txt": ROBOTS, "/x": page("X")}, host="127.0.0.2")
    pub.start()
    yield pub
    pub.stop()


def refusals(run: Path) -> list[tuple[str, str]]:
    return duckdb.sql(
        f"SELECT url, evidence FROM read_parquet('{run}/decisions/*.parquet') "
        "WHERE outcome = 'address_guard' ORDER BY url"
    ).fetchall()


def test_links_and_redirects_to_private_addresses_are_refused(
    tmp_path: Path, publisher: Publisher, other: Publisher
) -> None:
    publisher.routes = {
        "/robots.txt": ROBOTS,
        "/": page("Home", other.url + "/x", "/go"),
        "/go": text("", 302, Location=other.url + "/x?via=redirect"),
    }
    run = crawl(tmp_path, publisher.url + "/", hosts=("127.0.0.1", "127.0.0.2"))
    assert other.log == []
    assert "/go" in publisher.paths()
    assert [url for url, _ in refusals(run)] == [other.url + "/x", other.url + "/x?via=redirect"]
    assert all("127.0.0.2 (loopback)" in evidence for _, evidence in refusals(run))


def test_the_check_is_on_the_resolved_address(tmp_path: Path, publisher: Publisher) -> None:
    publisher.routes = {"/robots.txt": ROBOTS, "/": page("Home")}
    port = publisher.url.rsplit(":", 1)[1]
    seeds = (f"http://allowed.test:{port}/", f"http://intranet.test:{port}/")
    run = crawl(tmp_path, *seeds, settings=(RESOLVER,), hosts=("allowed.test", "intranet.test"))
    assert publisher.paths() == ["/robots.txt", "/.well-known/tdmrep.json", "/"]
    assert refusals(run) == [(seeds[1], "intranet.test → 127.1.2.3 (loopback)")]


def test_a_host_that_does_not_resolve_is_refused_not_waved_through(
    tmp_path: Path, publisher: Publisher
) -> None:
    publisher.routes = {"/robots.txt": ROBOTS, "/": page("Home")}
    port = publisher.url.rsplit(":", 1)[1]
    seed = f"http://nowhere.test:{port}/"
    run = crawl(tmp_path, seed, settings=(RESOLVER,), hosts=("nowhere.test",))
    assert publisher.paths() == []
    assert any("nowhere.test → ? (unresolvable)" in evidence for _, evidence in refusals(run))
