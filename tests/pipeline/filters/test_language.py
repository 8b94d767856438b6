from __future__ import annotations

import pytest

from pipeline.document import Document
from pipeline.filters import LanguageConfig, LanguageFilter, identify
from tests.pipeline.filters.conftest import ARTICLE

FRENCH = (
    "Le port était calme tôt le matin, et les pêcheurs étaient déjà partis en mer avec "
    "leurs filets. Sur le quai, les marchands installaient leurs étals de pommes et de poires."
)


@pytest.mark.parametrize(
    ("text", "config", "reason"),
    [
        (ARTICLE, LanguageConfig(), None),
        (FRENCH, LanguageConfig(), "not_allowed/fr"),
        (FRENCH, LanguageConfig(languages=("en", "fr")), None),
        (FRENCH, LanguageConfig(languages=()), None),
        ("12 34 56", LanguageConfig(languages=()), "low_score"),
    ],
)
def test_language_filter(text: str, config: LanguageConfig, reason: str | None) -> None:
    verdict = LanguageFilter(config).decide(Document(id="d", text=text, source="web"))
    assert (verdict.reason if verdict else None) == reason


def test_language_and_score_are_stored_on_every_document() -> None:
    doc = Document(id="d", text=FRENCH, source="harbor")
    assert LanguageFilter().decide(doc) is None  # licensed: labelled, kept
    assert doc.metadata["language"] == "fr" and 0.9 < doc.metadata["language_score"] <= 1.0


def test_identify_uses_the_packaged_model() -> None:
    assert identify(ARTICLE)[0] == "en"
