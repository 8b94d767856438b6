from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.filters import RepetitionConfig, RepetitionFilter
from pipeline.filters.repetition import duplicate_ngram_chars, top_ngram_chars, word_arrays
from tests.pipeline.filters.conftest import ARTICLE, PROSE, reason_of

SPAM = "cheap watches buy now " * 30


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (ARTICLE, None),
        (
            "\n\n".join([PROSE, "A short caption.", "A short caption.", "A short caption."]),
            "duplicate_paragraphs",
        ),
        (ARTICLE.replace("\n", "\n\n") + "\n\n" + PROSE, "duplicate_paragraph_chars"),
        (
            "\n".join([PROSE, "Share this", "Share this", "Share this", "Read more"]),
            "duplicate_lines",
        ),
        (SPAM, "top_2_gram"),
    ],
)
def test_repetition_rules_drop_with_their_reason(text: str, reason: str | None) -> None:
    assert reason_of(RepetitionFilter(), text) == reason


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        (RepetitionConfig(top_ngrams=((3, 0.18),)), "top_3_gram"),
        (RepetitionConfig(top_ngrams=(), duplicate_ngrams=((5, 0.15),)), "duplicate_5_grams"),
    ],
)
def test_ngram_rules_are_configurable(config: RepetitionConfig, reason: str) -> None:
    assert reason_of(RepetitionFilter(config), SPAM) == reason


def _reference_top(words: list[str], n: int) -> int:
    grams = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    counts = {g: grams.count(g) for g in grams}
    best = max(counts.values(), default=0)
    return 0 if best < 2 else max(len(g) * c for g, c in counts.items() if c == best)


def _reference_duplicate(words: list[str], n: int) -> int:
    covered: set[int] = set()
    seen: set[tuple[str, ...]] = set()
    for i in range(len(words) - n + 1):
        gram = tuple(words[i : i + n])
        if gram in seen:
            covered.update(range(i, i + n))
        seen.add(gram)
    return sum(len(words[i]) for i in covered)


@given(st.lists(st.sampled_from(["a", "bb", "ccc", "the", "sea"]), max_size=40), st.integers(2, 6))
def test_vectorised_ngram_counts_match_a_plain_loop(words: list[str], n: int) -> None:
    ids, lengths = word_arrays(words)
    assert top_ngram_chars(ids, lengths, n) == _reference_top(words, n)
    assert duplicate_ngram_chars(ids, lengths, n) == _reference_duplicate(words, n)


def test_word_arrays_give_ids_in_first_seen_order() -> None:
    ids, lengths = word_arrays(["b", "a", "b"])
    assert ids.tolist() == [0, 1, 0] and lengths.dtype == np.int64


def test_licensed_text_is_not_judged() -> None:
    assert reason_of(RepetitionFilter(), SPAM, source="harbor") is None
