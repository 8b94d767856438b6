"""Path-scoped Content-Usage / Content-Signal rules: longest match, ties restrictive."""

from __future__ import annotations

import pytest

from policies._lexer import tokenize
from policies._prefs import compile_preference_rules, parse_signal, select_preferences
from policies.aipref import parse_usage


def usage(text: str, target: str) -> dict[str, bool]:
    rules = compile_preference_rules(list(tokenize(text)), parse_usage)
    return select_preferences(rules, target)[0]


@pytest.mark.parametrize(
    ("text", "target", "expected", "reason"),
    [
        ("Content-Usage: train-ai=n", "/x", {"train-ai": False}, "no path: everything"),
        (
            "Content-Usage: train-ai=n\nContent-Usage: /ok/ train-ai=y",
            "/ok/a",
            {"train-ai": True},
            "longest path wins",
        ),
        (
            "Content-Usage: train-ai=n\nContent-Usage: /ok/ train-ai=y",
            "/other",
            {"train-ai": False},
            "shorter path elsewhere",
        ),
        (
            "Content-Usage: /a/ train-ai=y\nContent-Usage: /a/ train-ai=n",
            "/a/b",
            {"train-ai": False},
            "equal paths combine restrictively",
        ),
        ("Content-Usage: /a/\ttrain-ai=n", "/a/b", {"train-ai": False}, "tab separates"),
        ("Content-Usage: /a/ TRAIN-AI=n", "/a/b", {}, "unparseable: no preference"),
        ("Content-Usage: /*.pdf$ train-ai=n", "/x.pdf", {"train-ai": False}, "wildcards"),
        ("Content-Usage: /*.pdf$ train-ai=n", "/x.pdfs", {}, "anchored"),
        (
            "Content-Usage: /a/ train-ai=n, search=y",
            "/a/",
            {"train-ai": False, "search": True},
            "several labels",
        ),
    ],
)
def test_content_usage_rules(
    text: str, target: str, expected: dict[str, bool], reason: str
) -> None:
    assert usage(text, target) == expected, reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "search=yes, ai-input=yes, ai-train=no",
            {"search": True, "ai-input": True, "ai-train": False},
        ),
        ("AI-Train=No", {"ai-train": False}),
        ("ai-train=maybe, search", {}),
        ("ai-train=no, ai-train=yes", {"ai-train": False}),
    ],
)
def test_parse_signal(value: str, expected: dict[str, bool]) -> None:
    assert parse_signal(value) == expected
