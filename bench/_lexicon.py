"""Prose with a natural-language vocabulary shape, for the tokenizer rows.

``bench._prose`` knows about 450 words: enough for extraction and quality filters, far too few
for BPE, which would run out of pairs to merge long before a 49k vocabulary and then split
every word into one cached token. Real text has a Zipfian vocabulary with a long tail of rare
words, and that tail is what tokenizer training and encoding spend their time on. So the words
here are drawn with Zipf-Mandelbrot frequencies (``1 / (rank + 2.7) ** 1.2``, the shape of
English word counts) from a ranked lexicon: English function words first, then
``bench._prose``'s word banks, then a long tail of pronounceable made-up words built from
syllables (with English suffixes, some capitalised as names). Sentences get commas, numbers,
years and amounts at rates typical of news prose. Everything is deterministic for a seed.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import numpy as np

from bench._prose import ADJECTIVES, ADVERBS, NOUNS, PLACES, PREPOSITIONS, VERBS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from numpy.typing import NDArray

__all__ = ["Lexicon", "documents"]


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = _words(
    """
the of and to a in is was that for it with as on by he at from his be this have are not but or
an had which they one you were her all she there would their we him been has when who will more
no if out so said what up its about into than them can only other new some could time these two
may then do first any my now such like our over man me even most made after also did many before
must through back years where much your way well down should because each just those people how
too little state good very make world still own see men work long get here between both life being
under never day same another know while last might us great old year off come since against go came
right used take three
"""
)
_ONSETS = _words("b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc sh sk sl")
_ONSETS += _words("sp st str t th tr v w wh y z")
_VOWELS = _words("a e i o u a e i o u ai ea ee ou oo y")
_CODAS = ["", "", "", "", "", "n", "r", "l", "s", "t", "m", "nd", "nt", "st", "ck", "ng"]
_SUFFIXES = ["", "", "", "", "s", "ed", "ing", "er", "ly", "tion", "ness", "al", "ment"]
TAIL_WORDS = 250_000
_EXPONENT = 1.2
_SHIFT = 2.7


class Lexicon:
    """A ranked word list and the cumulative Zipf-Mandelbrot distribution over it."""

    def __init__(self, seed: int, tail: int = TAIL_WORDS) -> None:
        head = [*FUNCTION_WORDS, *PREPOSITIONS, *VERBS, *NOUNS, *ADJECTIVES, *ADVERBS, *PLACES]
        words = list(dict.fromkeys(head))
        words += _made_up(random.Random(seed), tail, set(words))
        self.words = words
        weights = 1.0 / (np.arange(len(words)) + _SHIFT) ** _EXPONENT
        self.cumulative = np.cumsum(weights) / weights.sum()

    def draw(self, rng: np.random.Generator, count: int) -> list[str]:
        """``count`` words drawn independently by frequency."""
        ranks: NDArray[np.intp] = np.searchsorted(self.cumulative, rng.random(count))
        return [self.words[rank] for rank in ranks.tolist()]


def _made_up(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    words: list[str] = []
    while len(words) < count:
        syllables = rng.choice((1, 2, 2, 2, 3, 3))
        stem = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
        word = stem + rng.choice(_SUFFIXES)
        if rng.random() < 0.08:
            word = word.title()  # names: people, places, firms
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.4:
        return str(rng.randint(1850, 2030))
    if kind < 0.7:
        return str(rng.randint(2, 999))
    if kind < 0.85:
        return f"${rng.randint(1, 999):,}{rng.choice(('', ',000', ' million'))}"
    return f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"


def _sentence(lexicon: Lexicon, rng: random.Random, draws: np.random.Generator) -> str:
    words = lexicon.draw(draws, rng.randint(6, 28))
    for index in range(1, len(words)):
        if rng.random() < 0.03:
            words[index] = _number(rng)
        elif rng.random() < 0.07:
            words[index - 1] += ","
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + rng.choice((".", ".", ".", ".", ".", ".", ".", "?", "!", ":"))


def documents(lexicon: Lexicon, seed: int, chars: int) -> Iterator[tuple[str, str]]:
    """(id, text) documents of 2-12 paragraphs until ``chars`` characters are written."""
    rng = random.Random(seed)
    draws = np.random.default_rng(seed)
    written = number = 0
    while written < chars:
        paragraphs = [
            " ".join(_sentence(lexicon, rng, draws) for _ in range(rng.randint(2, 7)))
            for _ in range(rng.randint(2, 12))
        ]
        text = "\n\n".join(paragraphs)
        written += len(text)
        yield f"tok-{seed}-{number:07d}", text
        number += 1
