"""Pattern matching: prefix, *, $ at the end only, and linear work on hostile patterns."""

from __future__ import annotations

import pytest

from policies._pattern import compile_pattern
from tests.policies._work import PatternWork


@pytest.mark.parametrize(
    ("pattern", "target", "expected", "reason"),
    [
        ("/fish", "/fish.html", True, "prefix"),
        ("/fish", "/Fish", False, "case-sensitive"),
        ("/fish$", "/fish", True, "anchored exact"),
        ("/fish$", "/fish/", False, "anchored"),
        ("/*.php", "/a/b.php?x", True, "wildcard"),
        ("/*.php$", "/a/b.php?x", False, "wildcard anchored"),
        ("*.gif$", "/a.gif", True, "leading star"),
        ("/a*b*c", "/abc", True, "empty runs"),
        ("/a*b*c", "/acb", False, "order matters"),
        ("/a*bc$", "/abcbc", True, "anchor after repeated piece"),
        ("/a*ab$", "/ab", False, "anchor cannot overlap the head"),
        ("/***", "/", True, "stars collapse"),
        ("*", "/anything", True, "star alone"),
    ],
)
def test_matches(pattern: str, target: str, expected: bool, reason: str) -> None:
    compiled = compile_pattern(pattern)
    assert compiled is not None
    assert compiled.matches(target) is expected, reason


@pytest.mark.parametrize(("value", "reason"), [("", "empty"), ("http://a/", "not a path")])
def test_values_that_match_nothing(value: str, reason: str) -> None:
    assert compile_pattern(value) is None, reason


def test_length_counts_stars_and_anchor() -> None:
    assert compile_pattern("/*.html") is not None
    assert compile_pattern("/*.html").length == 7  # type: ignore[union-attr]
    assert compile_pattern("/foo$").length == 5  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("pattern", "target"),
    [
        ("/" + "*" * 100_000, "/" + "a" * 100_000),
        ("/" + "*a" * 5_000 + "b", "/" + "a" * 100_000),
        ("/" + "a*" * 5_000 + "$", "/" + "a" * 4_999),
    ],
)
def test_hostile_patterns_are_linear(pattern: str, target: str, pattern_work: PatternWork) -> None:
    compiled = compile_pattern(pattern)
    assert compiled is not None
    compiled.matches(target)
    # Each search starts where the last ended: the target is read about once, however many
    # pieces the pattern has; backtracking would read it once per piece (5 000 times).
    assert pattern_work.matches == 1
    assert pattern_work.scanned <= len(target) + len(pattern)
