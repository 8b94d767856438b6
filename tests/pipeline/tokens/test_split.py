"""The split and the copies of a document: decided by its id, the same everywhere."""

from __future__ import annotations

import pytest

from pipeline.errors import ConfigError
from pipeline.mixture import Mixture
from pipeline.tokens.split import check_fraction, is_validation, side_copies

IDS = [f"doc-{n}" for n in range(2000)]


def test_no_document_is_held_out_at_fraction_zero() -> None:
    assert not any(is_validation(i, 0.0) for i in IDS)


def test_the_fraction_is_about_right_and_grows_monotonically() -> None:
    small = {i for i in IDS if is_validation(i, 0.1)}
    large = {i for i in IDS if is_validation(i, 0.3)}
    assert small <= large
    assert 150 < len(small) < 250 and 500 < len(large) < 700


def test_validation_holds_one_copy_whatever_the_weight() -> None:
    mixture = Mixture.parse(["web=3"])
    sides = [side_copies(mixture, 0.5, i, "web", "en") for i in IDS[:200]]
    assert {c for s, c in sides if s == "val"} == {1}
    assert {c for s, c in sides if s == "train"} == {3}
    dropped = Mixture.parse(["lang:fr=0"])
    assert {side_copies(dropped, 0.5, i, "web", "fr")[1] for i in IDS[:50]} == {0}


@pytest.mark.parametrize("fraction", [-0.1, 1.0, 2.0])
def test_a_fraction_outside_zero_to_one(fraction: float) -> None:
    with pytest.raises(ConfigError, match="validation fraction"):
        check_fraction(fraction)
