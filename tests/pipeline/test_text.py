from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.text import normalize, text_sha256, word_count


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Hello  World", "hello world", True),
        ("Hello\n\nWorld\t", " hello world", True),
        ("ﬁne", "fine", True),  # NFKC folds the ligature
        ("Hello World", "Hello Worlds", False),
    ],
)
def test_exact_dup_key_ignores_layout_and_case(a: str, b: str, same: bool) -> None:
    assert (text_sha256(a) == text_sha256(b)) is same


@given(st.text())
def test_normalize_is_idempotent(text: str) -> None:
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize(("text", "words"), [("", 0), ("one two, three!", 3), ("l'été est là", 4)])
def test_word_count(text: str, words: int) -> None:
    assert word_count(text) == words
