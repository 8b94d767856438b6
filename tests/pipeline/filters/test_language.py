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


def test_the_model_loads_once_whichever_threads_ask() -> None:
    import threading

    from pipeline.filters import language

    language._loaded.cache_clear()
    askers = [threading.Thread(target=language._identifier) for _ in range(4)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(60)
    assert language._loaded.cache_info().misses == 1
    assert language.identify("The harbour was quiet in the early morning.")[0] == "en"


def test_a_disabled_filter_loads_no_model() -> None:
    """Filters off (a licensed build at scale): the second of loading is not spent."""
    import threading

    from pipeline.filters.language import LanguageConfig, LanguageFilter

    LanguageFilter(LanguageConfig(enabled=False))
    assert "language-model" not in {thread.name for thread in threading.enumerate()}
