"""explain(): plain English that names the deciding rule and every signal."""

from __future__ import annotations

import pytest

from policies import Reason, RobotsTxt, Verdict, evaluate, explain

URL = "https://a.example/page"


@pytest.mark.parametrize(
    ("verdict", "expected_lines", "reason"),
    [
        (
            evaluate(
                URL, crawl_agent="Gleaner", robots=RobotsTxt.parse(b"User-agent: *\nDisallow: /\n")
            ),
            [
                "Fetch: not allowed, because of robots.txt (crawl token) rule 'Disallow: /'.",
                "Index: not allowed, because the page may not be fetched.",
                "Training: not allowed; the publisher opted out through robots.txt (training "
                "token) rule 'Disallow: /'.",
            ],
            "refused fetch",
        ),
        (
            evaluate(URL, crawl_agent="Gleaner", robots=RobotsTxt.parse(b"")),
            [
                "Fetch: allowed by robots.txt.",
                "Index: allowed.",
                "Training: allowed; no signal said yes or no (training signal 'unknown'), so "
                "our default policy for unknown applies.",
                "Signals seen: none.",
            ],
            "nothing said",
        ),
        (
            evaluate(URL, crawl_agent="Gleaner"),
            ["Fetch: not allowed, because no robots.txt was available to check."],
            "no robots.txt",
        ),
        (
            evaluate(
                URL,
                crawl_agent="G",
                robots=RobotsTxt.parse(b""),
                headers={"Content-Usage": "train-ai=y"},
            ),
            [
                "Training: allowed; the publisher said yes through AI-preferences Content-Usage "
                "rule 'train-ai=y'."
            ],
            "explicit yes",
        ),
        (
            evaluate(URL, crawl_agent="G", robots=RobotsTxt.parse(b""), html=b"<p>", html_cut_at=3),
            [
                "Index: not allowed, because the page's own signals could not be read in full.",
                "Training: not allowed; the page's own signals could not be read in full (body "
                "cut at 3 bytes, before its end; training signal 'unreadable').",
            ],
            "unreadable",
        ),
    ],
)
def test_explain_lines(verdict: Verdict, expected_lines: list[str], reason: str) -> None:
    text = explain(verdict)
    for line in expected_lines:
        assert line in text.splitlines(), (reason, text)


def test_every_reason_is_listed_with_its_evidence() -> None:
    verdict = Verdict(
        True,
        True,
        False,
        "disallowed",
        (
            Reason("x_robots_tag", "noai", "X-Robots-Tag: noai", "deny_train"),
            Reason("brand_new_signal", "r", "e", "note"),
        ),
    )
    text = explain(verdict)
    assert "  - X-Robots-Tag header: 'noai' (X-Robots-Tag: noai) -> do not train" in text
    assert "  - brand_new_signal: 'r' (e) -> recorded" in text
