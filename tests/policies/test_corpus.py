"""Every robots.txt fixture parses without exception, and each one means what it says."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import RobotsTxt, evaluate
from tests.policies.conftest import ROBOTS_DIR

FIXTURES = sorted(ROBOTS_DIR.glob("*.txt"))
PROBES = ["/", "/index.html", "/private/x?y=1", "/ツ", "/a%2Fb", "/" + "x" * 5000]


def test_corpus_is_not_empty() -> None:
    assert len(FIXTURES) >= 15


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_fixture_parses_and_answers(path: Path) -> None:
    robots = RobotsTxt.parse(path.read_bytes())
    assert robots.outcome == "parsed"
    for probe in PROBES:
        url = f"https://www.example.com{probe}"
        assert isinstance(robots.can_fetch(url, "Gleaner"), bool)
        verdict = evaluate(url, crawl_agent="Gleaner", robots=robots)
        assert verdict.may_train is False or verdict.may_fetch
    robots.crawl_delay("Gleaner")


@pytest.mark.parametrize(
    ("name", "agent", "path", "allowed", "reason"),
    [
        ("wordpress.txt", "Gleaner", "/wp-admin/options.php", False, "admin is private"),
        ("wordpress.txt", "Gleaner", "/wp-admin/admin-ajax.php", True, "longer allow"),
        ("wordpress.txt", "Gleaner", "/2024/05/post/feed/", False, "anchored wildcard"),
        ("wordpress.txt", "Gleaner", "/2024/05/post/feed/x", True, "anchor"),
        ("news-ai-blocks.txt", "GPTBot", "/world/story", False, "AI crawler blocked"),
        ("news-ai-blocks.txt", "Applebot", "/world/story", True, "search crawler allowed"),
        ("news-ai-blocks.txt", "Gleaner", "/world/story", True, "no own group: * and Googlebot"),
        ("news-ai-blocks.txt", "Gleaner", "/data.json", False, "* disallows json"),
        ("news-ai-blocks.txt", "Gleaner", "/api/public/x", True, "longer allow"),
        ("cloudflare-managed.txt", "Gleaner", "/anything", True, "* allows crawling"),
        ("shop-wildcards.txt", "Gleaner", "/shoes?color=red&sort=price", False, "query wildcard"),
        ("shop-wildcards.txt", "Gleaner", "/shoes?color=red", True, "no sort"),
        ("shop-wildcards.txt", "Gleaner", "/internal/press/2024", True, "longer allow"),
        ("shop-wildcards.txt", "Gleaner", "/internal/hr", False, "internal"),
        ("shop-wildcards.txt", "Gleaner", "/search/", True, "anchored allow"),
        ("shop-wildcards.txt", "Gleaner", "/search/a/b/c/d", False, "deep search"),
        ("large-portal.txt", "Gleaner", "/section399/private/x", False, "last section"),
        ("large-portal.txt", "Gleaner", "/section7/private/public-a.html", True, "allow"),
        ("large-portal.txt", "Gleaner", "/section7/page?print=1", False, "print view"),
        ("crlf-windows.txt", "Gleaner", "/cgi-bin/x", False, "CRLF"),
        ("crlf-windows.txt", "BadBot", "/", False, "CRLF second group"),
        ("cr-only.txt", "Gleaner", "/old-mac/x", False, "CR only"),
        ("cr-only.txt", "Gleaner", "/old-mac/ok", True, "CR only allow"),
        ("utf8-bom.txt", "Gleaner", "/bom-protected/", False, "BOM skipped"),
        ("google-leniency.txt", "Gleaner", "/nocolon/x", False, "missing colon"),
        ("google-leniency.txt", "Typobot", "/typo/x", False, "misspelt keys"),
        ("soft-404.txt", "Gleaner", "/anything", True, "HTML has no rules"),
        ("invalid-utf8.txt", "Gleaner", "/caf%E9/", False, "raw byte equals its escape"),
        ("invalid-utf8.txt", "Gleaner", "/%E3%83%84/x", False, "UTF-8 rule"),
        ("no-final-newline.txt", "Gleaner", "/no-final-newline", False, "last line counts"),
        ("comments-and-blank-lines.txt", "Gleaner", "/drafts/x", False, "blank lines"),
        ("comments-and-blank-lines.txt", "Gleaner", "/drafts/published/x", True, "allow"),
        ("comments-and-blank-lines.txt", "Gleaner", "/other", True, "own group only"),
        ("rules-before-user-agent.txt", "Gleaner", "/ignored-because-no-group/", True, "ignored"),
        ("unknown-records-inside-groups.txt", "SomeBot", "/shared-rule/", False, "no split"),
        ("binary-junk.txt", "Gleaner", "/", True, "junk has no rules"),
        ("empty.txt", "Gleaner", "/", True, "empty"),
    ],
)
def test_fixture_meaning(name: str, agent: str, path: str, allowed: bool, reason: str) -> None:
    robots = RobotsTxt.parse((ROBOTS_DIR / name).read_bytes())
    url = f"https://www.example.com{path}"
    assert robots.can_fetch(url, agent, fallback_agents=("Googlebot",)) is allowed, reason


def test_fixture_records() -> None:
    news = RobotsTxt.parse((ROBOTS_DIR / "news-ai-blocks.txt").read_bytes())
    assert news.crawl_delay("Gleaner") == 5.0
    assert len(news.sitemaps) == 2
    shop = RobotsTxt.parse((ROBOTS_DIR / "shop-wildcards.txt").read_bytes())
    assert shop.crawl_delay("Gleaner") == 5.0
    assert shop.crawl_delay("AdsBot-Google") is None


def test_cloudflare_fixture_opts_out_of_training() -> None:
    robots = RobotsTxt.parse((ROBOTS_DIR / "cloudflare-managed.txt").read_bytes())
    verdict = evaluate("https://www.example.com/a", crawl_agent="Gleaner", robots=robots)
    assert verdict.may_fetch and not verdict.may_train
    assert verdict.deciding_reason is not None
    assert verdict.deciding_reason.signal in {"content_signal", "proxy_training_token"}
    assert "content_signal" in verdict.signals_seen
