from __future__ import annotations

import pytest

from pipeline.filters import FineWebConfig, FineWebFilter
from tests.pipeline.filters.conftest import ARTICLE, reason_of

MENU = "\n".join(f"Link number {i} to another page of this site" for i in range(20))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (ARTICLE, None),
        ("   \n  ", "empty"),
        (MENU, "terminal_line_ratio"),
        (ARTICLE + "\n" + "\n".join(f"Tag {i}." for i in range(20)), "short_line_ratio"),
        (ARTICLE + "\nSubscribe to our newsletter today.\n" * 2, "duplicate_line_chars"),
    ],
)
def test_fineweb_rules_drop_with_their_reason(text: str, reason: str | None) -> None:
    assert reason_of(FineWebFilter(), text) == reason
    if reason and reason != "empty":  # each rule has a switch named after its reason
        assert reason_of(FineWebFilter(FineWebConfig(**{reason: False})), text) != reason


def test_newline_ratio() -> None:
    text = "\n".join(f"Word{i} x." for i in range(10))
    loose = FineWebConfig(max_short_line_ratio=1.0)
    assert reason_of(FineWebFilter(loose), text) == "newline_ratio"
