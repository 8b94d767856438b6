"""X-Robots-Tag and meta robots parsing: audiences, rule names with colons, negatives."""

from __future__ import annotations

import pytest

from policies.robots_tags import directives_from_header, directives_from_meta, rules_for


def ours(header: str, *agents: str | None) -> set[str]:
    return {d.text for d in rules_for(directives_from_header(header), agents or (None, "gleaner"))}


@pytest.mark.parametrize(
    ("header", "expected", "reason"),
    [
        ("noindex", {"noindex"}, "global"),
        ("NOINDEX, NoFollow", {"noindex", "nofollow"}, "case-insensitive, comma list"),
        ("gleaner: noai", {"gleaner: noai"}, "our prefix"),
        ("GLEANER: noai", {"gleaner: noai"}, "prefix case-insensitive"),
        ("otherbot: noindex, nofollow", set(), "another crawler: every item"),
        ("max-snippet:0", {"max-snippet:0"}, "max-snippet:0 is nosnippet"),
        ("max-snippet: 20", set(), "a snippet length restricts nothing here"),
        ("unavailable_after: 2025-01-01", set(), "own colon: a rule, not an agent"),
        ("all", set(), "positive"),
        ("otherbot: noai, gleaner: noindex", {"gleaner: noindex"}, "second prefix"),
        (
            "otherbot: noai, gleaner: nofollow, noarchive",
            {"gleaner: nofollow", "gleaner: noarchive", "noarchive"},
            "ambiguous line: un-prefixed item counts for the latest prefix and for everyone",
        ),
        ("", set(), "empty"),
        (",,,", set(), "only commas"),
    ],
)
def test_header_rules_for_us(header: str, expected: set[str], reason: str) -> None:
    assert ours(header) == expected, reason


def test_header_evidence_quotes_the_line() -> None:
    (directive,) = directives_from_header(" noai ")
    assert directive.evidence == "X-Robots-Tag: noai"
    assert directive.origin == "x_robots_tag"


@pytest.mark.parametrize(
    ("name", "content", "agent", "rules"),
    [
        ("robots", "noindex, nofollow", None, ["noindex", "nofollow"]),
        ("gleaner", "NOAI", "gleaner", ["noai"]),
        ("Gleaner-Extended", "none", "gleaner-extended", ["none"]),
        ("robots", "max-image-preview:large", None, ["max-image-preview"]),
    ],
)
def test_meta(name: str, content: str, agent: str | None, rules: list[str]) -> None:
    directives = directives_from_meta(name.lower(), content)
    assert [d.rule for d in directives] == rules
    assert {d.agent for d in directives} == {agent}
    assert all(d.origin == "meta_robots" for d in directives)
