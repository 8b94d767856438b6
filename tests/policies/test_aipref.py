"""aipref vocabulary and the RFC 9651 Dictionary parser it rests on."""

from __future__ import annotations

import pytest

from policies._sfv import SfvSyntaxError, parse_dictionary
from policies.aipref import combine_preferences, parse_usage


@pytest.mark.parametrize(
    ("value", "expected", "reason"),
    [
        ("train-ai=n", {"train-ai": False}, "Token n"),
        ("train-ai=y, search=n", {"train-ai": True, "search": False}, "two labels"),
        ("ai-use=n", {"ai-use": False}, "vocab-08 label"),
        ("train-ai=n, train-ai=y", {"train-ai": True}, "last duplicate wins"),
        ("train-ai=y, train-ai=n", {"train-ai": False}, "last duplicate wins"),
        ("train-ai", {}, "Boolean true is unknown"),
        ('train-ai="n"', {}, "String is unknown"),
        ("train-ai=no", {}, "Token no is unknown"),
        ("train-ai=N", {}, "Token N is unknown"),
        ("train-ai=?0", {}, "Boolean false is unknown"),
        ("train-ai=n;why=1", {"train-ai": False}, "parameters ignored"),
        ("bots=n, tdm=n, train-genai=n", {}, "unknown labels ignored"),
        ("  train-ai=n  ", {"train-ai": False}, "surrounding spaces"),
        ("", {}, "empty dictionary"),
        ("x=(a b), train-ai=n", {"train-ai": False}, "inner lists parse"),
        ("TRAIN-AI=n", None, "upper-case key: parse failure"),
        ("train-ai=n,", None, "trailing comma"),
        ("train-ai=n search=y", None, "missing comma"),
        ("train-ai=", None, "missing value"),
        ("train ai=n", None, "space in key"),
        ('train-ai="unterminated', None, "bad string"),
        ("train-ai=n, x=1234567890123456", None, "integer too long"),
    ],
)
def test_parse_usage(value: str, expected: dict[str, bool] | None, reason: str) -> None:
    assert parse_usage(value) == expected, reason


@pytest.mark.parametrize(
    ("statements", "expected", "reason"),
    [
        ([{"train-ai": True}, {"train-ai": False}], {"train-ai": False}, "any n wins"),
        ([{"train-ai": True}, {}], {"train-ai": True}, "y and unknown is y"),
        ([{}, {}], {}, "unknown"),
        ([{"search": False}, {"train-ai": True}], {"search": False, "train-ai": True}, "labels"),
    ],
)
def test_combine(statements: list[dict[str, bool]], expected: dict[str, bool], reason: str) -> None:
    assert combine_preferences(statements) == expected, reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "a=1, b=-2.5, c=?1",
            {"a": ("number", 1.0), "b": ("number", -2.5), "c": ("boolean", True)},
        ),
        ('a="x\\"y"', {"a": ("string", 'x"y')}),
        ("a=:aGk=:", {"a": ("bytes", "aGk=")}),
        ("a=@1659578233", {"a": ("date", 1659578233.0)}),
        ('a=%"caf%c3%a9"', {"a": ("display", "caf%c3%a9")}),
        ("a=tok/en:x", {"a": ("token", "tok/en:x")}),
        ("*a=y", {"*a": ("token", "y")}),
    ],
)
def test_sfv_bare_items(value: str, expected: dict[str, object]) -> None:
    assert parse_dictionary(value) == expected


@pytest.mark.parametrize("value", ["a=1.2345", "a=@1.5", "a=(b", "a=?2", "a=\x01", "a=,"])
def test_sfv_errors(value: str) -> None:
    with pytest.raises(SfvSyntaxError):
        parse_dictionary(value)
