"""Bad input gets a verdict, never an exception (binary junk, soft 404s, invalid UTF-8,
10 MB files, 100 KB lines, hostile patterns, odd header shapes)."""

from __future__ import annotations

from typing import Any

import pytest

from policies import RobotsTxt, Verdict, evaluate
from policies.verdict import TRAINING_SIGNALS
from tests.policies._work import PatternWork

URL = "https://a.example/page"
TEN_MB = 10 * 1024 * 1024


def full(**inputs: Any) -> Verdict:
    inputs.setdefault("robots", RobotsTxt.parse(b""))
    return evaluate(URL, crawl_agent="Gleaner", **inputs)


@pytest.mark.parametrize(
    ("name", "inputs"),
    [
        ("binary robots", {"robots": RobotsTxt.parse(bytes(range(256)) * 40)}),
        ("binary html", {"html": bytes(range(256)) * 40}),
        ("binary tdmrep", {"tdmrep": bytes(range(256)) * 40}),
        ("invalid utf-8 html", {"html": b"<meta name=robots content='noai\xff\xfe'>"}),
        ("utf-16 html", {"html": '<meta name="robots" content="noai">'.encode("utf-16")}),
        ("lone surrogates", {"html": "<meta name=robots content=\udcff>"}),
        ("unclosed html", {"html": b"<html><head><meta name=robots content=noai"}),
        ("html with declaration in str", {"html": '<?xml version="1.0" encoding="latin-1"?><p>'}),
        ("empty html", {"html": b""}),
        ("whitespace html", {"html": "   \n"}),
        ("headers mapping of lists", {"headers": {"X-Robots-Tag": ["noai", "noindex"]}}),
        ("headers with bytes", {"headers": [(b"X-Robots-Tag", b"noai")]}),
        ("headers of wrong shape", {"headers": ["X-Robots-Tag: noai", ("a",), 5]}),
        ("headers as a string", {"headers": "X-Robots-Tag: noai"}),
        ("header with control chars", {"headers": {"Content-Usage": "train-ai=n\x00\r\n"}}),
        ("url junk", {"html": b"<p>"}),
    ],
)
def test_bad_input_gets_a_verdict(name: str, inputs: dict[str, Any]) -> None:
    verdict = full(**inputs)
    assert verdict.training_signal in TRAINING_SIGNALS, name


def test_signals_survive_hostile_html_around_them() -> None:
    html = b"<html><head>" + b"<div>" * 50 + b"<meta name='robots' content='noai'>" + b"\xff" * 100
    assert full(html=html).training_signal == "disallowed"


def test_utf16_html_is_decoded() -> None:
    html = '<html><head><meta name="robots" content="noai"></head></html>'.encode("utf-16")
    assert full(html=html).training_signal == "disallowed"


def test_ten_megabytes_everywhere() -> None:
    blob = (b"Disallow: /x\n<meta name=robots content=noindex>\n" * (TEN_MB // 48))[:TEN_MB]
    verdict = evaluate(  # a verdict at all; how fast is `make bench`'s question
        URL,
        crawl_agent="Gleaner",
        robots=RobotsTxt.parse(blob),
        html=blob,
        tdmrep=blob,
        ai_txt=blob,
        headers={"X-Robots-Tag": blob[:100_000].decode("latin-1")},
    )
    assert not verdict.may_index


def test_100kb_lines_in_every_input() -> None:
    line = "a" * 100_000
    verdict = evaluate(
        f"https://a.example/{line}",
        crawl_agent="Gleaner",
        robots=RobotsTxt.parse(f"User-agent: *\nDisallow: /{line}\nDisallow: /b\n"),
        headers={"X-Robots-Tag": line, "Content-Usage": line},
        html=f"<meta name=robots content='{line}'>",
        tdmrep=f'[{{"location": "/{line}"}}]',
    )
    assert verdict.may_fetch is False


def test_star_patterns_in_every_pattern_input(pattern_work: PatternWork) -> None:
    stars = "/" + "*" * 15_000 + "x"  # under the 16 664-byte line cap
    url = "https://a.example/" + "y" * 50_000
    verdict = evaluate(
        url,
        crawl_agent="Gleaner",
        robots=RobotsTxt.parse(
            f"User-agent: *\nDisallow: {stars}\nContent-Usage: {stars} train-ai=n\n"
        ),
        tdmrep=f'[{{"location": "{stars}", "tdm-reservation": 1}}]',
        ai_txt=f"User-agent: *\nDisallow: {stars}\n",
    )
    # Runs of * collapse and each search reads on from the last: the URL is read about once
    # per pattern tested, never once per star.
    assert pattern_work.matches >= 1
    assert pattern_work.scanned <= pattern_work.matches * (len(url) + len(stars))
    assert verdict.may_fetch
    assert verdict.training_signal == "unknown"


def test_overlong_rule_lines_are_cut_like_google() -> None:
    robots = RobotsTxt.parse("User-agent: *\nDisallow: /" + "*" * 50_000 + "x\n")
    assert not robots.can_fetch("https://a.example/y", "Gleaner")
