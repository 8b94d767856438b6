"""TDMRep: the well-known file (first match), values, statuses, and the override chain."""

from __future__ import annotations

import pytest

from policies import TdmRepFile
from policies.tdmrep import parse_reservation, resolve_tdmrep

FILE = b"""[
  {"location": "/public/*", "tdm-reservation": 0},
  {"location": "/", "tdm-reservation": 1, "tdm-policy": "https://a.example/policy.json"},
  {"location": "/public/special", "tdm-reservation": 1}
]"""


@pytest.mark.parametrize(
    ("url", "expected", "reason"),
    [
        ("https://a.example/public/special", (0, None), "first match wins, not longest"),
        ("https://a.example/public/x", (0, None), "first rule"),
        ("https://a.example/other", (1, "https://a.example/policy.json"), "second rule"),
        ("https://a.example/", (1, "https://a.example/policy.json"), "root"),
    ],
)
def test_first_matching_rule(
    url: str, expected: tuple[int | None, str | None], reason: str
) -> None:
    assert TdmRepFile.parse(FILE).reservation_for(url) == expected, reason


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (FILE, 404, "not found: protocol not implemented"),
        (FILE, 503, "unreachable"),
        (b"{not json", 200, "invalid JSON"),
        (b'{"location": "/", "tdm-reservation": 1}', 200, "an object, not an array"),
        (b"[" * 100_000 + b"]" * 100_000, 200, "hostile nesting"),
        (b"\xff\xfe\x00\x01", 200, "binary"),
        (b'[{"tdm-reservation": 1}]', 200, "rule without location"),
        (b'[{"location": 5, "tdm-reservation": 1}]', 200, "non-string location"),
        (b'[{"location": "/", "tdm-reservation": 2}]', 200, "invalid value: unset"),
        (b'[{"location": "/", "tdm-reservation": true}]', 200, "boolean: unset"),
        (b'[{"location": "/", "tdm-reservation": "1"}]', 200, "string in JSON: unset"),
    ],
)
def test_unset(body: bytes, status: int, reason: str) -> None:
    reservation, _ = TdmRepFile.parse(body, status).reservation_for("https://a.example/x")
    assert reservation is None, reason


def test_invalid_first_match_is_unset_and_stops_the_search() -> None:
    body = b'[{"location": "/", "tdm-reservation": 7}, {"location": "/", "tdm-reservation": 1}]'
    assert TdmRepFile.parse(body).reservation_for("https://a.example/x") == (None, None)


def test_location_matching_is_robots_like() -> None:
    body = (
        '[{"location": "/*.pdf$", "tdm-reservation": 1},'
        ' {"location": "/caf%C3%A9", "tdm-reservation": 1}]'
    )
    parsed = TdmRepFile.parse(body)
    assert parsed.reservation_for("https://a.example/a/b.pdf")[0] == 1
    assert parsed.reservation_for("https://a.example/a/b.pdf?x")[0] is None
    assert parsed.reservation_for("https://a.example/café")[0] == 1


def test_unreachable_is_empty() -> None:
    assert TdmRepFile.unreachable().reservation_for("https://a.example/") == (None, None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), (" 0 ", 0), (1, 1), (0, 0), ("2", None), ("yes", None), (True, None), (None, None)],
)
def test_parse_reservation(value: object, expected: int | None) -> None:
    assert parse_reservation(value) == expected


@pytest.mark.parametrize(
    ("steps", "reservation", "source", "reason"),
    [
        (
            [("file", ["1"], [], ""), ("header", ["0"], [], ""), ("meta", [], [], "")],
            0,
            "header",
            "header supersedes file; absent meta does not reset",
        ),
        (
            [("file", ["0"], [], ""), ("header", [], [], ""), ("meta", ["1"], [], "")],
            1,
            "meta",
            "meta supersedes",
        ),
        ([("file", ["1"], [], ""), ("header", ["x"], [], "")], 1, "file", "invalid never resets"),
        ([("header", ["0", "1"], [], "")], 1, "header", "conflicting headers: 1 wins"),
        ([("file", [], [], "")], None, "", "nothing"),
    ],
)
def test_override_chain(
    steps: list[tuple[str, list[str], list[str], str]],
    reservation: int | None,
    source: str,
    reason: str,
) -> None:
    result = resolve_tdmrep(steps)
    assert (result.reservation, result.source) == (reservation, source), reason


def test_policy_survives_a_later_reservation_without_policy() -> None:
    result = resolve_tdmrep([("file", ["1"], ["https://p"], ""), ("header", ["0"], [], "")])
    assert (result.reservation, result.policy) == (0, "https://p")
