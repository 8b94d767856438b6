from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.text import analyse, normalize, text_sha256, word_count, words_of


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


# The reference: what normalisation, words and counts were before they were computed on bytes.
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def _reference_normalize(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Hello, World! It's 2026_01.",
        "A\x1cB\x1dC\x1eD\x1fE \x0b F\x0c",  # separators str.split() knows and bytes.split() not
        "Tromsø — “quoted” ½ ﬁne Straße İstanbul",
        "non\u00a0breaking\u2028line\u3000ideographic",
        "日本語のテキスト、です。",
        "mixed ascii and é-acute, naïve café",
        "\u0301combining first",
    ],
)
def test_analyse_matches_the_regex_reference(text: str) -> None:
    stats = analyse(text)
    normalized = _reference_normalize(text)
    assert normalize(text) == normalized
    assert stats.normalized == normalized.encode()
    assert stats.sha256 == text_sha256(text) == hashlib.sha256(normalized.encode()).hexdigest()
    assert [w.decode() for w in stats.words] == _WORD.findall(normalized)
    assert stats.word_count == word_count(text) == len(_WORD.findall(text))


@given(st.text(st.characters(blacklist_categories=("Cs",))))
def test_analyse_matches_the_regex_reference_on_any_text(text: str) -> None:
    test_analyse_matches_the_regex_reference(text)


@given(st.text(alphabet=st.sampled_from(" \t\n\x1c.,-_'aZ9é—ß½"), max_size=80))
def test_words_of_matches_findall(text: str) -> None:
    assert [w.decode() for w in words_of(text.encode())] == _WORD.findall(text)


# Mostly ASCII with the non-ASCII characters whose folding or spacing is special: letters
# that fold to themselves or to longer strings (ß, İ, the Kelvin sign), Unicode spaces NFKC
# keeps or rewrites (NEL, ogham, line separator, no-break), a ligature, a combining mark.
_TRICKY = " \t\n\x1c.,-_'aZ9" + "ößİ\u212aﬁ\u0301\u0085\u1680\u2028\u00a0\u3000—“½"


@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=60))
def test_analyse_folds_non_ascii_runs_like_the_reference(text: str) -> None:
    test_analyse_matches_the_regex_reference(text)
