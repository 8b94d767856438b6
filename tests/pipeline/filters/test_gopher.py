from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.filters import QualityConfig, QualityFilter
from tests.pipeline.filters.conftest import ARTICLE, PROSE, reason_of


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (PROSE, None),
        (ARTICLE, None),
        ("Too short to be a page.", "too_few_words"),
        ("a b c d e f g h i j " * 10, "mean_word_length"),
        ("# " * 10 + PROSE, "symbol_ratio"),
        ("1234 5678 " * 40 + PROSE, "alpha_ratio"),
        (" ".join(["lorem", "ipsum", "dolor", "sitamet"] * 20), "stop_words"),
        ("The Neighbour of Valencia\n" + "cheap buy deals online offer best. " * 20, "stop_words"),
        ("\n".join(["- the harbour and the town with its boats"] * 20), "bullet_lines"),
        (
            "\n".join(["and the story of the old harbour town goes on and on..."] * 20),
            "ellipsis_lines",
        ),
    ],
)
def test_quality_rules_drop_with_their_reason(text: str, reason: str | None) -> None:
    assert reason_of(QualityFilter(), text) == reason
    if reason:  # each rule has a switch named after its reason; off, it drops nothing
        assert reason_of(QualityFilter(QualityConfig(**{reason: False})), text) != reason


def test_a_switched_off_length_rule_survives_an_empty_text() -> None:
    assert reason_of(QualityFilter(QualityConfig(too_few_words=False)), "") == "mean_word_length"


def test_licensed_text_is_taken_as_delivered() -> None:
    assert reason_of(QualityFilter(), "Short licensed note.", source="harbor") is None


def test_thresholds_come_from_config() -> None:
    assert reason_of(QualityFilter(QualityConfig(min_words=5)), "the cat and the dog sat") is None


def test_counts_every_drop_by_reason() -> None:
    step = QualityFilter()
    docs = [Document(id=str(i), text=t, source="web") for i, t in enumerate([PROSE, "tiny", "x"])]
    kept = list(step(iter(docs)))
    assert [d.id for d in kept] == ["0"]
    assert step.stats.as_dict() == {
        "total": 3,
        "kept": 1,
        "dropped": 2,
        "dropped/too_few_words": 2,
    }
