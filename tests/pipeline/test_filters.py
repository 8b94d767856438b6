from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.filters import QualityConfig, QualityFilter
from pipeline.step import Drop

PROSE = (
    "The harbour was quiet in the early morning, and the fishermen had already gone out "
    "to sea with their nets. Along the quay the market traders were setting up their "
    "stalls, arranging crates of apples and pears that had come down from the hills the "
    "evening before. A few gulls circled overhead, waiting for scraps, while the baker at "
    "the corner of the square opened his shutters and the smell of fresh bread drifted "
    "across the cobbles to the water."
)


def check_filter(step: QualityFilter, text: str, source: str = "web") -> Drop | None:
    return step.decide(Document(id="d", text=text, source=source))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (PROSE, None),
        ("Too short to be a page.", "too_few_words"),
        ("a b c d e f g h i j " * 10, "mean_word_length"),
        ("# " * 10 + PROSE, "symbol_ratio"),
        ("1234 5678 " * 40 + PROSE, "alpha_ratio"),
        (" ".join(["lorem", "ipsum", "dolor", "sitamet"] * 20), "stop_words"),
        (
            "\n".join(["and the story of the old harbour town goes on and on..."] * 20),
            "ellipsis_lines",
        ),
    ],
)
def test_quality_rules_drop_with_their_reason(text: str, reason: str | None) -> None:
    verdict = check_filter(QualityFilter(), text)
    assert (verdict.reason if verdict else None) == reason


def test_licensed_text_is_taken_as_delivered() -> None:
    assert check_filter(QualityFilter(), "Short licensed note.", source="harbor") is None


def test_thresholds_come_from_config() -> None:
    assert (
        check_filter(QualityFilter(QualityConfig(min_words=5)), "the cat and the dog sat") is None
    )


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
