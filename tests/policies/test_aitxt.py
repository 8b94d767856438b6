"""ai.txt: a Disallow for * or our tokens opts out; nothing here ever grants permission."""

from __future__ import annotations

import pytest

from policies import AiTxt

SPAWNING = b"""# Spawning AI
User-Agent: *
Disallow: *.jpg
Disallow: *.png
Disallow: /private/
Allow: /
"""


@pytest.mark.parametrize(
    ("url", "agents", "expected", "reason"),
    [
        ("https://a.example/cat.jpg", ["Gleaner"], True, "file type"),
        ("https://a.example/private/x", ["Gleaner"], True, "path"),
        ("https://a.example/post.html", ["Gleaner"], False, "allowed type"),
    ],
)
def test_disallows(url: str, agents: list[str], expected: bool, reason: str) -> None:
    assert AiTxt.parse(SPAWNING).disallows(url, agents) is expected, reason


def test_our_token_group_counts_and_star_still_counts() -> None:
    body = b"User-Agent: Gleaner-Extended\nAllow: /\n\nUser-Agent: *\nDisallow: /\n"
    assert AiTxt.parse(body).disallows("https://a.example/x", ["Gleaner-Extended"])


@pytest.mark.parametrize("status", [404, 403, 503])
def test_error_responses_hold_no_rules(status: int) -> None:
    parsed = AiTxt.parse(b"User-Agent: *\nDisallow: /\n", status)
    assert not parsed.disallows("https://a.example/x", ["Gleaner"])
    assert parsed.sha256
