"""robots.txt: the shared conformance table, fetch outcomes, records, limits, bad input."""

from __future__ import annotations

import hashlib

import pytest

from bench.conformance import ROBOTS_CASES, RobotsCase
from policies import RobotsTxt
from policies.robots import outcome_for_status
from tests.policies._work import PatternWork, calls


@pytest.mark.parametrize("case", ROBOTS_CASES, ids=lambda c: f"{c.source}|{c.agent}|{c.url}")
def test_conformance_table(case: RobotsCase) -> None:
    assert RobotsTxt.parse(case.robots).can_fetch(case.url, case.agent) is case.allowed


@pytest.mark.parametrize(
    ("status", "outcome", "reason"),
    [
        (200, "parsed", "2xx: follow the parseable rules"),
        (204, "parsed", "any 2xx parses"),
        (301, "allow-all", "more than five redirects: treat as 4xx"),
        (400, "allow-all", "4xx: unavailable, may access anything"),
        (404, "allow-all", "4xx: unavailable"),
        (410, "allow-all", "4xx: unavailable"),
        (401, "disallow-all", "recommendation: 401 usually means a WAF"),
        (403, "disallow-all", "recommendation: 403 usually means a WAF"),
        (429, "disallow-all", "429 is treated like 5xx"),
        (500, "disallow-all", "5xx: unreachable, complete disallow"),
        (503, "disallow-all", "5xx: unreachable"),
        (599, "disallow-all", "5xx: unreachable"),
        (0, "disallow-all", "not an HTTP status: unreachable"),
        (100, "disallow-all", "1xx never carries a body: unreachable"),
    ],
)
def test_outcome_for_status(status: int, outcome: str, reason: str) -> None:
    robots = RobotsTxt.parse(b"User-agent: *\nDisallow: /private/\n", status=status)
    assert robots.outcome == outcome, reason
    expected = {"parsed": True, "allow-all": True, "disallow-all": False}[outcome]
    assert robots.can_fetch("https://a.example/page", "Gleaner") is expected


def test_401_403_can_be_read_leniently() -> None:
    assert outcome_for_status(403, deny_on_401_403=False) == "allow-all"
    lenient = RobotsTxt.parse(b"", status=401, deny_on_401_403=False)
    assert lenient.can_fetch("https://a.example/", "Gleaner")


def test_error_bodies_are_never_parsed() -> None:
    robots = RobotsTxt.parse(b"User-agent: *\nAllow: /\n", status=503)
    assert not robots.can_fetch("https://a.example/", "Gleaner")
    assert robots.sitemaps == []


def test_unreachable_disallows_everything_and_has_no_hash() -> None:
    robots = RobotsTxt.unreachable()
    assert robots.outcome == "disallow-all"
    assert robots.sha256 == ""
    assert not robots.can_fetch("https://a.example/x", "Gleaner")


def test_sha256_is_of_the_body_as_received() -> None:
    body = b"\xef\xbb\xbfUser-agent: *\nDisallow: /\n" + b"#" * 600_000
    assert RobotsTxt.parse(body).sha256 == hashlib.sha256(body).hexdigest()
    assert RobotsTxt.parse("abc").sha256 == hashlib.sha256(b"abc").hexdigest()


def test_sitemaps_are_global_ordered_and_deduplicated() -> None:
    body = (
        b"Sitemap: https://a.example/one.xml\nUser-agent: *\nSitemap: https://a.example/two.xml\n"
        b"Disallow: /x\nsite-map: https://a.example/one.xml\n"
    )
    robots = RobotsTxt.parse(body)
    assert robots.sitemaps == ["https://a.example/one.xml", "https://a.example/two.xml"]
    assert not robots.can_fetch("https://a.example/x", "Gleaner")


@pytest.mark.parametrize(
    ("body", "agent", "expected", "reason"),
    [
        (b"User-agent: *\nCrawl-delay: 10\n", "Gleaner", 10.0, "from the * group"),
        (b"User-agent: *\nCrawl-delay: 2.5\n", "Gleaner", 2.5, "decimals"),
        (
            b"User-agent: Gleaner\nCrawl-delay: 3\nUser-agent: *\nDisallow: /\n",
            "x",
            3.0,
            "Crawl-delay does not split a group: Gleaner and * share it",
        ),
        (
            b"User-agent: Gleaner\nDisallow: /a\n\nUser-agent: *\nCrawl-delay: 9\n",
            "Gleaner",
            None,
            "only the selected group counts",
        ),
        (b"User-agent: *\nCrawl-delay: soon\n", "Gleaner", None, "malformed values are ignored"),
        (b"User-agent: *\nCrawl-delay: -4\n", "Gleaner", None, "negative values are ignored"),
        (b"User-agent: *\nCrawl-delay: nan\n", "Gleaner", None, "nan is ignored"),
        (b"User-agent: *\nCrawl-delay: 1\nCrawl-delay: 4\n", "Gleaner", 4.0, "largest wins"),
        (b"User-agent: *\nRequest-rate: 1/10s\n", "Gleaner", 10.0, "request-rate n/Ts = T/n"),
        (b"User-agent: *\nRequest-rate: 2/1m\n", "Gleaner", 30.0, "request-rate in minutes"),
        (
            b"Crawl-delay: 5\nUser-agent: *\nDisallow: /\n",
            "Gleaner",
            None,
            "a delay before any group is ignored",
        ),
    ],
)
def test_crawl_delay(body: bytes, agent: str, expected: float | None, reason: str) -> None:
    assert RobotsTxt.parse(body).crawl_delay(agent) == expected, reason


def test_crawl_delay_other_records_keep_the_group() -> None:
    body = b"User-agent: A\nCrawl-delay: 5\nUser-agent: B\nDisallow: /\n"
    assert RobotsTxt.parse(body).crawl_delay("B") == 5.0


@pytest.mark.parametrize(
    ("prefix", "reason"),
    [
        (b"\xef\xbb\xbf", "a full BOM is skipped"),
        (b"\xef\xbb", "a partial BOM is skipped"),
        (b"\xef", "one BOM byte is skipped"),
    ],
)
def test_bom_is_skipped(prefix: bytes, reason: str) -> None:
    robots = RobotsTxt.parse(prefix + b"User-Agent: foo\nDisallow: /AnyValue\n")
    assert not robots.can_fetch("https://a.example/AnyValue", "foo"), reason


def test_bom_in_the_middle_is_not_skipped() -> None:
    robots = RobotsTxt.parse(b"User-Agent: foo\n\xef\xbb\xbfDisallow: /AnyValue\n")
    assert robots.can_fetch("https://a.example/AnyValue", "foo")


def test_parse_limit_cuts_at_a_line_boundary() -> None:
    head = b"User-agent: *\n" + b"# filler\n" * 60_000  # ~540 KB, beyond 512 KiB
    body = head + b"Disallow: /late\n"
    robots = RobotsTxt.parse(body)
    assert robots.truncated
    assert robots.can_fetch("https://a.example/late", "Gleaner")
    early = RobotsTxt.parse(b"User-agent: *\nDisallow: /early\n" + b"# filler\n" * 60_000)
    assert not early.can_fetch("https://a.example/early", "Gleaner")


def test_a_rule_straddling_the_limit_is_dropped_not_half_parsed() -> None:
    filler = b"User-agent: *\n" + b"#" * (512 * 1024 - 20) + b"\n"
    body = filler + b"Disallow: /abcdefghijklmnop\n"
    robots = RobotsTxt.parse(body)
    assert robots.can_fetch("https://a.example/abc", "Gleaner")


def test_long_lines_are_cut_not_fatal() -> None:
    body = b"User-agent: *\nDisallow: /" + b"a" * 100_000 + b"\nDisallow: /b\n"
    robots = RobotsTxt.parse(body)
    assert not robots.can_fetch("https://a.example/b", "Gleaner")
    assert not robots.can_fetch("https://a.example/" + "a" * 20_000, "Gleaner")


@pytest.mark.parametrize(
    ("pattern", "allowed"),
    [
        ("/" + "*" * 16_000 + "x", True),
        ("/" + "*" * 16_000 + "a", False),
        ("/" + "*a" * 8_000 + "$", False),
        ("/" + "*a" * 8_000 + "b$", True),
        ("/*a*a*a*a*a*a*a*a*a*a*a*a*a*b", True),
    ],
)
def test_pathological_patterns_stay_linear(
    pattern: str, allowed: bool, pattern_work: PatternWork
) -> None:
    robots = RobotsTxt.parse(f"User-agent: *\nDisallow: {pattern}\n")
    url = "https://a.example/" + "a" * 50_000
    assert robots.can_fetch(url, "Gleaner") is allowed
    # A few pattern tests per URL, each reading the path about once (no backtracking).
    assert 1 <= pattern_work.matches <= 4
    assert pattern_work.scanned <= pattern_work.matches * (len(url) + len(pattern))


def test_ten_megabytes_of_junk_gets_a_verdict() -> None:
    junk = bytes(range(256)) * (10 * 1024 * 1024 // 256)
    robots = RobotsTxt.parse(junk)  # how fast is `make bench`'s question; this asks "at all"
    assert robots.outcome == "parsed"
    assert robots.can_fetch("https://a.example/", "Gleaner")


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe\x00U\x00s\x00e\x00r",
        b"User-agent: *\nDisallow: /\xff\xfe\n",
        b"\x00\x00\x00\x00",
        "User-agent: *\nDisallow: /\udcff\n",
        b"<html><body>404 Not Found</body></html>",
    ],
)
def test_bad_bodies_never_raise(body: bytes | str) -> None:
    robots = RobotsTxt.parse(body)
    robots.can_fetch("https://a.example/\xff", "Gleaner")
    robots.crawl_delay("Gleaner")


def test_invalid_utf8_in_rules_matches_the_percent_encoded_byte() -> None:
    robots = RobotsTxt.parse(b"User-agent: *\nDisallow: /caf\xe9\n")
    assert not robots.can_fetch("https://a.example/caf%E9", "Gleaner")
    assert robots.can_fetch("https://a.example/cafe", "Gleaner")


@pytest.mark.parametrize(
    ("agent", "url", "expected", "reason"),
    [
        (
            "Gleaner",
            "https://a.example/x",
            False,
            "no own group: the Googlebot group and * both apply; * is stricter",
        ),
        ("Gleaner", "https://a.example/open/x", True, "both allow /open/"),
        ("Applebot", "https://a.example/x", True, "an own group ignores the fallback"),
    ],
)
def test_fallback_agents_take_the_stricter_result(
    agent: str, url: str, expected: bool, reason: str
) -> None:
    robots = RobotsTxt.parse(
        b"User-agent: Googlebot\nAllow: /\n\nUser-agent: Applebot\nAllow: /\n\n"
        b"User-agent: *\nDisallow: /\nAllow: /open/\n"
    )
    assert robots.can_fetch(url, agent, fallback_agents=("Googlebot",)) is expected, reason


def test_fallback_agent_stricter_than_star() -> None:
    robots = RobotsTxt.parse(b"User-agent: Googlebot\nDisallow: /g/\n\nUser-agent: *\nAllow: /\n")
    assert not robots.can_fetch("https://a.example/g/1", "Gleaner", fallback_agents=["Googlebot"])
    assert robots.can_fetch("https://a.example/g/1", "Gleaner")


def test_decide_names_the_rule_line_and_group() -> None:
    robots = RobotsTxt.parse(b"# hi\nUser-agent: *\nDisallow: /private/\n")
    decision = robots.decide("https://a.example/private/1", "Gleaner")
    assert not decision.allowed
    assert decision.rule == "Disallow: /private/"
    assert decision.line == 3
    assert decision.group.startswith("User-agent: *")


def test_agent_given_as_full_user_agent_uses_its_product_token() -> None:
    robots = RobotsTxt.parse(b"User-agent: Gleaner\nDisallow: /\n")
    assert not robots.can_fetch("https://a.example/", "Gleaner/1.0 (+https://g.example/bot)")
    assert robots.has_group("gleaner")
    assert not robots.has_group("Gleaner-Extended")


def _parse_and_match_calls(rules: int) -> int:
    body = b"User-agent: *\n" + b"".join(
        b"Disallow: /d%d/*x$\nAllow: /d%d/p\n" % (i, i) for i in range(rules)
    )
    return calls(lambda: RobotsTxt.parse(body).can_fetch("https://a.example/d1/zzz", "Gleaner"))


def test_parse_is_linear_in_size() -> None:
    small, large = _parse_and_match_calls(2_000), _parse_and_match_calls(16_000)
    # Eight times the rules: linear work makes about 8x the calls, quadratic 64x; 12x leaves
    # room for n log n (sorting rules by length) and fixed costs.
    assert large < small * 12, (small, large)


_APPLIED = b"""User-agent: *
Disallow: /private/

User-agent: Gleaner-Extended
Disallow: /members/
Content-Usage: train-ai=n
"""


@pytest.mark.parametrize(
    ("body", "status", "agent", "group", "lines"),
    [
        (_APPLIED, 200, "Gleaner/0.1", "User-agent: * (line 1)", ("line 2: Disallow: /private/",)),
        (
            _APPLIED,
            200,
            "Gleaner-Extended",
            "User-agent: Gleaner-Extended (line 4)",
            ("line 5: Disallow: /members/", "line 6: Content-Usage: train-ai=n"),
        ),
        (b"Disallow: /\n", 200, "Gleaner", "no group", ()),
        (b"", 503, "Gleaner", "HTTP 503: disallow-all", ()),
        (b"User-agent: *\nDisallow: /\n", 404, "Gleaner", "HTTP 404: allow-all", ()),
    ],
)
def test_applied_names_the_group_and_lines_a_token_obeys(
    body: bytes, status: int, agent: str, group: str, lines: tuple[str, ...]
) -> None:
    applied = RobotsTxt.parse(body, status).applied(agent)
    assert (applied.group, applied.lines) == (group, lines)
