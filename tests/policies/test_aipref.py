"""aipref vocabulary and the RFC 9651 Dictionary parsing it rests on (http-sfv, corrected)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from http_sfv.types import DisplayString, Token

from policies.aipref import combine_preferences, parse_dictionary, parse_usage


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
        ("train-ai=n, x=1.", None, "Decimal ending in '.' (RFC 9651 §4.2.4; http-sfv takes it)"),
        ('train-ai=n, x="é"', None, "non-ASCII is not a Structured Field"),
        ("\ttrain-ai=n\t", {"train-ai": False}, "HTTP strips tabs around a field value"),
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
    ("value", "key", "expected"),
    [
        ("a=1, b=-2.5, c=?1", "a", 1),
        ("a=1, b=-2.5, c=?1", "b", Decimal("-2.5")),
        ("a=1, b=-2.5, c=?1", "c", True),
        ('a="x\\"y"', "a", 'x"y'),
        ("a=:aGk=:", "a", b"hi"),
        ('a=%"caf%c3%a9"', "a", DisplayString("café")),
        ("a=tok/en:x", "a", Token("tok/en:x")),
        ("*a=y", "*a", Token("y")),
    ],
)
def test_sfv_bare_items(value: str, key: str, expected: object) -> None:
    members = parse_dictionary(value)
    assert members is not None
    bare = members[key].value
    assert bare == expected
    assert type(bare) is type(expected)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("a=1.2345", "four fraction digits"),
        ("a=@1.5", "Date must be an Integer"),
        ("a=(b", "unterminated inner list"),
        ("a=?2", "Boolean is ?0 or ?1"),
        ("a=\x01", "control character"),
        ("a=,", "missing value"),
        ("a=1.", "Decimal ending in '.' (http-sfv 0.9.9 accepts it; corrected)"),
        ("a=(1. b)", "same, in an inner list"),
        ("a=n;x=-1.", "same, in a parameter"),
        ("a=:a:", "not base64"),
        ('a=%"x%zz"', "Display String escapes are lower-case hex"),
        ('a=%"%C3%A9"', "upper-case hex in a Display String"),
        ("a=n;\tx", "only spaces after ';'"),
    ],
)
def test_sfv_errors(value: str, reason: str) -> None:
    assert parse_dictionary(value) is None, reason


def test_sfv_date_is_the_instant_given() -> None:
    # http-sfv reads a Date as a naive local time; the instant is what counts (aipref
    # ignores dates anyway).
    members = parse_dictionary("a=@1659578233")
    assert members is not None
    assert members["a"].value.timestamp() == 1659578233


def test_sfv_empty_value_is_an_empty_dictionary() -> None:
    # RFC 9651 §4.2: empty input parses to an empty Dictionary; http-sfv 0.9.9 refuses it.
    assert parse_dictionary("") == {}
    assert parse_dictionary(" \t ") == {}
