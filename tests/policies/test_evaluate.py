"""evaluate(): one allow and one deny case per row of OPTOUT-SIGNALS.md's summary table,
plus the decision procedure's defaults (§9) and the fetch gate."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from policies import AiTxt, PolicyConfig, RobotsTxt, Verdict, evaluate

URL = "https://news.example/articles/1"
OPEN = b"User-agent: *\nAllow: /\n"


def check(robots: bytes | None = OPEN, **kwargs: Any) -> Verdict:
    parsed = RobotsTxt.parse(robots) if robots is not None else None
    return evaluate(URL, crawl_agent="Gleaner", robots=parsed, **kwargs)


def assert_train(verdict: Verdict, signal: str, reason_signal: str | None) -> None:
    assert verdict.training_signal == signal, verdict.reasons
    assert verdict.may_train is (signal != "disallowed")
    deciding = verdict.deciding_reason
    assert (deciding.signal if deciding else None) == reason_signal, verdict.reasons


@pytest.mark.parametrize(
    ("robots", "expected", "reason"),
    [
        (b"User-agent: *\nDisallow: /articles/\n", False, "row 1: * disallows the path"),
        (b"User-agent: Gleaner\nDisallow: /\nUser-agent: *\nAllow: /\n", False, "own group"),
        (b"User-agent: Gleaner-Extended\nDisallow: /\n", True, "training token never crawls"),
        (b"User-agent: GPTBot\nDisallow: /\n", True, "other vendors never restrict fetching"),
        (b"User-agent: *\nDisallow: /other/\n", True, "row 1: other paths"),
        (
            b"User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
            False,
            "§1.3: no own group, so the stricter of Googlebot and *",
        ),
    ],
)
def test_row1_robots_decides_fetching(robots: bytes, expected: bool, reason: str) -> None:
    verdict = check(robots)
    assert verdict.may_fetch is expected, reason
    if not expected:
        assert verdict.deciding_reason is not None
        assert verdict.deciding_reason.effect == "deny_fetch"
        assert not verdict.may_train and not verdict.may_index


@pytest.mark.parametrize(
    ("robots", "signal", "reason_signal", "reason"),
    [
        (
            b"User-agent: Gleaner-Extended\nDisallow: /\n",
            "disallowed",
            "robots_training_token",
            "row 2: own group disallows",
        ),
        (
            b"User-agent: Gleaner-Extended\nDisallow: /other/\n",
            "unknown",
            None,
            "row 2: own group elsewhere",
        ),
        (
            b"User-agent: Gleaner\nAllow: /\n\nUser-agent: *\nDisallow: /\n",
            "disallowed",
            "robots_training_token",
            "§2.1 star-disallow-covers-extended-token",
        ),
        (
            b"User-agent: Gleaner-Extended\nAllow: /\n\nUser-agent: *\nDisallow: /articles/\n",
            "disallowed",
            "robots_training_token",
            "fetch refused: nothing to train on",
        ),
        (
            b"User-agent: Applebot-Extended\nDisallow: /\n",
            "disallowed",
            "proxy_training_token",
            "row 3: Apple's training token",
        ),
        (
            b"User-agent: GPTBot\nDisallow: /articles/\n",
            "disallowed",
            "proxy_training_token",
            "row 3: GPTBot disallow is evidence",
        ),
        (b"User-agent: GPTBot\nDisallow: /other/\n", "unknown", None, "row 3: other path"),
        (
            b"User-agent: Applebot\nDisallow: /\n",
            "unknown",
            None,
            "§1.3: Applebot is not Applebot-Extended",
        ),
        (b"User-agent: OAI-SearchBot\nDisallow: /\n", "unknown", None, "not a training token"),
    ],
)
def test_rows_2_3_training_tokens(
    robots: bytes, signal: str, reason_signal: str | None, reason: str
) -> None:
    verdict = check(robots)
    if verdict.may_fetch:
        assert_train(verdict, signal, reason_signal)
    else:
        assert not verdict.may_train
        assert verdict.training_signal == signal, reason


def test_proxy_reason_names_the_token() -> None:
    verdict = check(b"User-agent: CCBot\nDisallow: /\n")
    assert verdict.deciding_reason is not None
    assert verdict.deciding_reason.rule == "CCBot: Disallow: /"


def test_proxy_tokens_fall_back_to_star_when_our_token_has_a_group() -> None:
    robots = b"User-agent: Gleaner-Extended\nAllow: /\n\nUser-agent: *\nDisallow: /articles/\n"
    robots += b"User-agent: Gleaner\nAllow: /\n"
    verdict = check(robots)
    assert verdict.may_fetch
    assert_train(verdict, "disallowed", "proxy_training_token")
    relaxed = check(robots, config=PolicyConfig(proxy_tokens_use_star=False))
    assert_train(relaxed, "unknown", None)


def test_proxy_list_is_configurable() -> None:
    robots = b"User-agent: GPTBot\nDisallow: /\n"
    assert_train(check(robots, config=PolicyConfig(proxy_training_tokens=())), "unknown", None)
    custom = PolicyConfig(proxy_training_tokens=("Webzio-Extended",))
    verdict = check(b"User-agent: Webzio-Extended\nDisallow: /\n", config=custom)
    assert_train(verdict, "disallowed", "proxy_training_token")


@pytest.mark.parametrize(
    ("html", "may_index", "signal", "reason_signal", "reason"),
    [
        (b'<meta name="robots" content="noindex, nofollow">', False, "unknown", None, "row 4"),
        (b'<meta name="ROBOTS" content="NOINDEX">', False, "unknown", None, "case-insensitive"),
        (b'<meta name="robots" content="none">', False, "unknown", None, "none = noindex"),
        (b'<meta name="gleaner" content="noindex">', False, "unknown", None, "our crawl token"),
        (b'<meta name="googlebot" content="noindex">', True, "unknown", None, "not ours"),
        (b'<meta name="robots" content="all">', True, "unknown", None, "row 4 allow"),
        (
            b"<body><p>x</p><meta name=robots content=noindex></body>",
            False,
            "unknown",
            None,
            "meta in body counts",
        ),
        (b'<meta name="robots" content="noai">', True, "disallowed", "meta_robots", "row 6"),
        (b'<meta name="robots" content="noimageai">', True, "disallowed", "meta_robots", "row 6"),
        (b'<meta name="gleaner" content="noai">', True, "disallowed", "meta_robots", "our token"),
        (b'<meta name="otherbot" content="noai">', True, "unknown", None, "row 6: not ours"),
        (
            b'<meta name="robots" content="noarchive">',
            True,
            "disallowed",
            "meta_robots",
            "row 7: noarchive is a training opt-out",
        ),
        (b'<meta name="robots" content="nocache">', True, "unknown", None, "row 7: nocache"),
        (b'<meta name="robots" content="nosnippet">', True, "unknown", None, "not training"),
        (
            b'<meta name="gleaner-extended" content="noindex">',
            True,
            "disallowed",
            "meta_robots",
            "§3: training token named: any negative rule",
        ),
        (
            b'<meta name="gleaner-extended" content="all">',
            True,
            "unknown",
            None,
            "training token named, positive rule",
        ),
    ],
)
def test_rows_4_6_7_meta(
    html: bytes, may_index: bool, signal: str, reason_signal: str | None, reason: str
) -> None:
    verdict = check(html=html)
    assert verdict.may_index is may_index, reason
    assert_train(verdict, signal, reason_signal)


@pytest.mark.parametrize(
    ("headers", "may_index", "signal", "reason"),
    [
        ({"X-Robots-Tag": "noindex"}, False, "unknown", "row 5"),
        ({"x-robots-tag": "NoIndex, NoFollow"}, False, "unknown", "names are case-insensitive"),
        ({"X-Robots-Tag": "gleaner: noindex"}, False, "unknown", "agent-prefixed for us"),
        (
            {"X-Robots-Tag": "otherbot: noindex, nofollow"},
            True,
            "unknown",
            "agent-prefixed for another crawler, all items",
        ),
        (
            {"X-Robots-Tag": ["googlebot: nofollow", "noai"]},
            True,
            "disallowed",
            "several headers; row 6",
        ),
        (
            [("X-Robots-Tag", "max-snippet:0"), ("X-Robots-Tag", "noimageai")],
            True,
            "disallowed",
            "repeated pairs",
        ),
        (
            {"X-Robots-Tag": "unavailable_after: 25 Jun 2010 15:00:00 PST"},
            True,
            "unknown",
            "a rule with its own colon is not an agent",
        ),
        (
            {"X-Robots-Tag": "Gleaner-Extended: nofollow"},
            True,
            "disallowed",
            "training token named",
        ),
        (
            {"X-Robots-Tag": "otherbot: noai, gleaner: noindex"},
            False,
            "unknown",
            "second prefix in one line",
        ),
        (
            {"X-Robots-Tag": "otherbot: nofollow, gleaner: all, noarchive"},
            True,
            "disallowed",
            "ambiguous line: an un-prefixed item may be global",
        ),
        ({"X-Robots-Tag": "noarchive"}, True, "disallowed", "row 7"),
    ],
)
def test_row5_x_robots_tag(
    headers: Mapping[str, Any] | list[tuple[str, str]], may_index: bool, signal: str, reason: str
) -> None:
    verdict = check(headers=headers)
    assert verdict.may_index is may_index, reason
    assert verdict.training_signal == signal, reason


def test_noarchive_meaning_is_configurable() -> None:
    config = PolicyConfig(noarchive_is_training_optout=False)
    verdict = check(headers={"X-Robots-Tag": "noarchive"}, config=config)
    assert verdict.training_signal == "unknown"


@pytest.mark.parametrize(
    ("headers", "html", "tdmrep", "signal", "reason"),
    [
        ({"tdm-reservation": "1"}, None, None, "disallowed", "row 8: header"),
        ({"tdm-reservation": "0"}, None, None, "allowed", "row 8: header allows"),
        ({"TDM-Reservation": " 1 "}, None, None, "disallowed", "name case, whitespace"),
        ({"tdm-reservation": "2"}, None, None, "unknown", "invalid values are unset"),
        ({}, b'<meta name="tdm-reservation" content="1">', None, "disallowed", "meta"),
        ({}, None, b'[{"location": "/", "tdm-reservation": 1}]', "disallowed", "file"),
        ({}, None, b'[{"location": "/", "tdm-reservation": 0}]', "allowed", "file allows"),
        (
            {"tdm-reservation": "0"},
            None,
            b'[{"location": "/", "tdm-reservation": 1}]',
            "allowed",
            "header overrides file",
        ),
        (
            {"tdm-reservation": "1"},
            b'<meta name="tdm-reservation" content="0">',
            None,
            "allowed",
            "meta overrides header",
        ),
        ({"tdm-reservation": "1"}, b"<p>no meta</p>", None, "disallowed", "absence never resets"),
        (
            {"tdm-reservation": "1"},
            b'<meta name="tdm-reservation" content="yes">',
            None,
            "disallowed",
            "an invalid later value does not reset",
        ),
        ({}, None, b'[{"location": "/other/", "tdm-reservation": 1}]', "unknown", "no match"),
        ({}, None, b"not json", "unknown", "invalid file is unset"),
    ],
)
def test_row8_tdmrep(
    headers: dict[str, str], html: bytes | None, tdmrep: bytes | None, signal: str, reason: str
) -> None:
    verdict = check(headers=headers, html=html, tdmrep=tdmrep)
    assert verdict.training_signal == signal, reason


def test_tdm_policy_is_recorded() -> None:
    verdict = check(headers={"tdm-reservation": "1", "tdm-policy": "https://p.example/p.json"})
    notes = [r for r in verdict.reasons if r.rule == "tdm-policy"]
    assert notes and notes[0].evidence == "https://p.example/p.json"


@pytest.mark.parametrize(
    ("headers", "signal", "may_index", "reason"),
    [
        ({"Content-Usage": "train-ai=n"}, "disallowed", True, "row 9"),
        ({"Content-Usage": "train-ai=y"}, "allowed", True, "row 9 allow"),
        ({"Content-Usage": "train-ai=n, train-ai=y"}, "allowed", True, "last duplicate wins"),
        (
            {"Content-Usage": ["train-ai=y", "train-ai=n"]},
            "disallowed",
            True,
            "field lines combine; last wins",
        ),
        ({"Content-Usage": "TRAIN-AI=n"}, "unknown", True, "keys are case-sensitive"),
        ({"Content-Usage": "train-ai=n,"}, "unknown", True, "parse failure = unknown"),
        ({"Content-Usage": 'train-ai="n"'}, "unknown", True, "only Tokens count"),
        ({"Content-Usage": "train-ai=n;q=1"}, "disallowed", True, "parameters ignored"),
        ({"Content-Usage": "train-genai=n"}, "unknown", True, "retired labels ignored"),
        ({"Content-Usage": "search=n"}, "unknown", False, "search=n: no indexing"),
        ({"Content-Usage": "ai-use=n"}, "unknown", True, "ai-use is not training"),
    ],
)
def test_row9_content_usage_header(
    headers: dict[str, Any], signal: str, may_index: bool, reason: str
) -> None:
    verdict = check(headers=headers)
    assert verdict.training_signal == signal, reason
    assert verdict.may_index is may_index, reason


_ATTACH_EXAMPLE = (
    b"User-Agent: *\nAllow: /\nDisallow: /never/\nContent-Usage: train-ai=n\n"
    b"Content-Usage: /ai-ok/ train-ai=y\n"
)


@pytest.mark.parametrize(
    ("robots", "url", "fetch", "signal", "reason"),
    [
        (_ATTACH_EXAMPLE, "https://a.example/test", True, "disallowed", "attach-05 §3.4"),
        (_ATTACH_EXAMPLE, "https://a.example/ai-ok/test", True, "allowed", "longest path"),
        (
            _ATTACH_EXAMPLE,
            "https://a.example/never/test",
            False,
            "disallowed",
            "not crawlable: no preference, no fetch",
        ),
        (
            b"User-agent: *\nContent-Usage: /a/ train-ai=y\nContent-Usage: /a/ train-ai=n\n",
            "https://a.example/a/x",
            True,
            "disallowed",
            "equal paths combine restrictively",
        ),
        (
            b"User-agent: *\nContent-Usage: train-ai=y\n\nUser-agent: Gleaner\n"
            b"Content-Usage: train-ai=y\n",
            "https://a.example/x",
            True,
            "allowed",
            "both tokens' groups say y",
        ),
        (
            b"User-agent: *\nContent-Usage: train-ai=n\n\nUser-agent: Gleaner\n"
            b"Content-Usage: train-ai=y\n",
            "https://a.example/x",
            True,
            "disallowed",
            "§5.2: crawl and training token groups combine restrictively",
        ),
        (
            b"User-agent: Gleaner\nContent-Usage: train-ai=n\nUser-agent: B\nDisallow: /\n",
            "https://a.example/x",
            False,
            "disallowed",
            "§5.2 pitfall: stricter reading for crawling, attach-05 for preferences",
        ),
    ],
)
def test_row10_content_usage_in_robots(
    robots: bytes, url: str, fetch: bool, signal: str, reason: str
) -> None:
    verdict = evaluate(url, crawl_agent="Gleaner", robots=RobotsTxt.parse(robots))
    assert verdict.may_fetch is fetch, reason
    assert verdict.training_signal == signal, reason


@pytest.mark.parametrize(
    ("robots", "signal", "may_index", "reason"),
    [
        (
            b"User-agent: *\nContent-Signal: search=yes, ai-input=yes, ai-train=no\nAllow: /\n",
            "disallowed",
            True,
            "row 11",
        ),
        (
            b"User-agent: *\nContent-Signal: search=yes, ai-train=yes\nAllow: /\n",
            "allowed",
            True,
            "row 11 allow",
        ),
        (
            b"User-agent: *\nContent-Signal: search=no\nAllow: /\n",
            "unknown",
            False,
            "search=no: no indexing",
        ),
        (
            b"User-agent: *\nContent-Signal: ai-input=no\n",
            "unknown",
            True,
            "ai-input is not training",
        ),
        (
            b"User-agent: *\nContent-Signal: /other/ ai-train=no\n",
            "unknown",
            True,
            "path-scoped to another path",
        ),
        (
            b"User-agent: OtherBot\nContent-Signal: ai-train=no\n",
            "unknown",
            True,
            "another crawler's group",
        ),
    ],
)
def test_row11_content_signal(robots: bytes, signal: str, may_index: bool, reason: str) -> None:
    verdict = check(robots)
    assert verdict.training_signal == signal, reason
    assert verdict.may_index is may_index, reason


@pytest.mark.parametrize(
    ("ai_txt", "signal", "reason"),
    [
        (b"User-Agent: *\nDisallow: /\n", "disallowed", "row 12"),
        (b"User-Agent: *\nDisallow: *.jpg\nDisallow: *.png\n", "unknown", "other file types"),
        (b"User-Agent: *\nAllow: /\n", "unknown", "Allow grants nothing"),
        (b"User-Agent: Gleaner-Extended\nDisallow: /articles/\n", "disallowed", "our token"),
        (b"User-Agent: OtherBot\nDisallow: /\n", "unknown", "not ours"),
        (AiTxt.parse(b"User-Agent: *\nDisallow: /\n", status=404), "unknown", "absent file"),
    ],
)
def test_row12_ai_txt(ai_txt: bytes | AiTxt, signal: str, reason: str) -> None:
    assert check(ai_txt=ai_txt).training_signal == signal, reason


def test_row12_ai_txt_can_be_ignored() -> None:
    verdict = check(
        ai_txt=b"User-Agent: *\nDisallow: /\n", config=PolicyConfig(honour_ai_txt=False)
    )
    assert verdict.training_signal == "unknown"


def test_row13_llms_txt_is_not_an_input() -> None:
    verdict = check(html=b"# Title\n> llms.txt is not consent\n")
    assert verdict.training_signal == "unknown"


def test_row14_crawl_delay_is_reported_by_robots_not_the_verdict() -> None:
    robots = RobotsTxt.parse(b"User-agent: *\nCrawl-delay: 7\n")
    assert robots.crawl_delay("Gleaner") == 7.0
    assert evaluate(URL, crawl_agent="Gleaner", robots=robots).may_fetch


@pytest.mark.parametrize(
    ("robots", "config", "may_fetch", "may_train", "reason"),
    [
        (OPEN, PolicyConfig(), True, True, "unknown with robots: train_when_unknown"),
        (OPEN, PolicyConfig(train_when_unknown=False), True, False, "configurable"),
        (None, PolicyConfig(), False, False, "no robots: do not fetch, do not train"),
        (
            None,
            PolicyConfig(train_when_unknown_without_robots=True),
            False,
            True,
            "archives may opt in to training on unknown",
        ),
        (None, PolicyConfig(fetch_without_robots=True), True, False, "fetch_without_robots"),
    ],
)
def test_defaults_for_unknown(
    robots: bytes | None, config: PolicyConfig, may_fetch: bool, may_train: bool, reason: str
) -> None:
    verdict = check(robots, config=config)
    assert (verdict.may_fetch, verdict.may_train) == (may_fetch, may_train), reason
    assert verdict.training_signal == "unknown"
    assert verdict.deciding_reason is None


def test_archived_page_without_robots_keeps_explicit_signals() -> None:
    allowed = check(None, headers={"Content-Usage": "train-ai=y"})
    assert (allowed.may_fetch, allowed.may_train, allowed.training_signal) == (
        False,
        True,
        "allowed",
    )
    denied = check(None, html=b'<meta name="robots" content="noai">')
    assert not denied.may_train and denied.training_signal == "disallowed"


@pytest.mark.parametrize(
    ("status", "may_fetch", "may_train", "reason"),
    [
        (503, False, False, "unreachable robots.txt: disallow all"),
        (404, True, True, "missing robots.txt: allow all, train on unknown"),
        (403, False, False, "403: disallow all by default"),
    ],
)
def test_fetch_outcomes_reach_the_verdict(
    status: int, may_fetch: bool, may_train: bool, reason: str
) -> None:
    robots = RobotsTxt.parse(b"", status=status)
    verdict = evaluate(URL, crawl_agent="Gleaner", robots=robots)
    assert (verdict.may_fetch, verdict.may_train) == (may_fetch, may_train), reason


def test_403_read_leniently_through_config() -> None:
    robots = RobotsTxt.parse(b"", status=403)
    verdict = evaluate(
        URL, crawl_agent="Gleaner", robots=robots, config=PolicyConfig(deny_on_401_403=False)
    )
    assert verdict.may_fetch and verdict.may_train


def test_page_signals_of_unfetchable_pages_are_ignored() -> None:
    verdict = check(b"User-agent: *\nDisallow: /\n", headers={"Content-Usage": "train-ai=y"})
    assert not verdict.may_fetch and not verdict.may_train
    assert "content_usage" not in verdict.signals_seen


def test_any_no_beats_any_yes() -> None:
    verdict = check(
        headers={"tdm-reservation": "0", "Content-Usage": "train-ai=y", "X-Robots-Tag": "noai"}
    )
    assert_train(verdict, "disallowed", "x_robots_tag")
    assert {"tdmrep", "content_usage", "x_robots_tag"} <= set(verdict.signals_seen)


def test_training_agent_argument_overrides_config() -> None:
    robots = RobotsTxt.parse(b"User-agent: Other-Extended\nDisallow: /\n")
    plain = evaluate(URL, crawl_agent="Gleaner", robots=robots)
    named = evaluate(URL, crawl_agent="Gleaner", training_agent="Other-Extended", robots=robots)
    assert plain.training_signal == "unknown"
    assert named.training_signal == "disallowed"


def test_401_parsed_leniently_is_tightened_by_the_default_config() -> None:
    robots = RobotsTxt.parse(b"", status=401, deny_on_401_403=False)
    assert robots.can_fetch(URL, "Gleaner")
    assert not evaluate(URL, crawl_agent="Gleaner", robots=robots).may_fetch


@pytest.mark.parametrize(
    ("robots", "evidence"),
    [
        (
            RobotsTxt.parse(b"", status=503),
            "robots.txt answered HTTP 503, so everything is disallowed",
        ),
        (RobotsTxt.unreachable(), "robots.txt could not be fetched, so everything is disallowed"),
    ],
)
def test_status_refusals_explain_themselves(robots: RobotsTxt, evidence: str) -> None:
    reason = evaluate(URL, crawl_agent="Gleaner", robots=robots).deciding_reason
    assert reason is not None and reason.effect == "deny_fetch"
    assert reason.evidence.startswith(evidence)


@pytest.mark.parametrize(
    ("kwargs", "signal", "reason_signal", "reason"),
    [
        ({"html": b"<p>", "html_cut_at": 3}, "unreadable", "signals_unreadable", "cut body"),
        (
            {"html": b"<meta name=robots content=noai><p>", "html_cut_at": 35},
            "disallowed",
            "meta_robots",
            "a no read before the cut decides",
        ),
        (
            {"html": b"<p>", "html_cut_at": 3, "headers": {"Content-Usage": "train-ai=y"}},
            "unreadable",
            "signals_unreadable",
            "a yes does not outweigh an unread rest",
        ),
        (
            {"html": b"<p>", "headers": {"Content-Type": "text/html; charset=x-unheard-of"}},
            "unreadable",
            "signals_unreadable",
            "unknown charset from the header",
        ),
        (
            {"html": b"<p>caf\xe9</p>", "headers": {"Content-Type": "text/html; charset=utf-8"}},
            "unreadable",
            "signals_unreadable",
            "bytes not valid in the declared charset",
        ),
        (
            {"html": b"<p>caf\xe9</p>"},
            "unknown",
            None,
            "no charset declared: not UTF-8 is read as Latin-1, every ASCII tag intact",
        ),
        (
            {"html": b"<!-- <meta name=robots content=noai> -->"},
            "disallowed",
            "meta_robots",
            "a no counts even commented out",
        ),
        (
            {"html": b"<script>'<meta name=robots content=noai>'</script>"},
            "disallowed",
            "meta_robots",
            "a no counts even in script text",
        ),
        (
            {"html": b"<!-- <meta name=tdm-reservation content=1> -->"},
            "disallowed",
            "tdmrep",
            "a TDM reservation counts even commented out",
        ),
        (
            {"html": b"<!-- <meta name=tdm-reservation content=0> -->"},
            "unknown",
            None,
            "a yes counts only from a tag a browser sees",
        ),
    ],
)
def test_page_signals_are_read_in_full(
    kwargs: dict[str, Any], signal: str, reason_signal: str | None, reason: str
) -> None:
    verdict = check(**kwargs)
    assert verdict.training_signal == signal, reason
    assert verdict.may_train is (signal == "unknown"), reason
    deciding = verdict.deciding_reason
    assert (deciding.signal if deciding else None) == reason_signal, reason
