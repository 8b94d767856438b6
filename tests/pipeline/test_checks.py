"""Config fields are checked against their annotations and ranges (pipeline._checks)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline._checks import bounded, check_fields, ratio
from pipeline.errors import ConfigError


@dataclass(frozen=True)
class Sample:
    enabled: bool = True
    count: int = 3
    share: float = ratio(0.5)
    size: int = bounded(10, 1, 100)
    label: str = "x"
    names: tuple[str, ...] = ("a",)
    pairs: tuple[tuple[int, float], ...] = ((2, 0.5),)

    def __post_init__(self) -> None:
        check_fields(self)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"enabled": "yes"}, "enabled ('yes') must be true or false"),
        ({"count": True}, "count (True) must be an integer"),
        ({"count": 1.0}, "count (1.0) must be an integer"),
        ({"count": -1}, "count (-1) must be at least 0"),
        ({"share": "half"}, "share ('half') must be a number"),
        ({"share": math.nan}, "share (nan) must be a finite number"),
        ({"share": -math.inf}, "share (-inf) must be a finite number"),
        ({"share": 1.5}, "share (1.5) must be at most 1"),
        ({"size": 0}, "size (0) must be at least 1"),
        ({"size": 101}, "size (101) must be at most 100"),
        ({"label": 5}, "label (5) must be a string"),
        ({"names": ["a"]}, "names (['a']) must be a list"),
        ({"names": ("a", 1)}, "names (('a', 1)) has an item (1) that must be a string"),
        ({"pairs": ((2,),)}, "has an item ((2,)) that must be a list of 2 items"),
        ({"pairs": ((2, math.inf),)}, "pairs (((2, inf),)) must be a finite number"),
    ],
)
def test_wrong_types_and_ranges_are_refused_naming_field_and_value(
    values: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        Sample(**values)  # type: ignore[arg-type]
    assert message in str(info.value)


def test_defaults_and_edges_are_accepted() -> None:
    assert Sample(count=0, share=0, size=100, names=(), pairs=()) is not None
    assert Sample(share=1).share == 1  # an int is a fine float


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_share_is_refused_or_finite_between_0_and_1(value: float) -> None:
    try:
        sample = Sample(share=value)
    except ConfigError:
        assert not (math.isfinite(value) and 0 <= value <= 1)
    else:
        assert 0 <= sample.share <= 1
