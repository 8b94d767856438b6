"""English-looking prose from a fixed word bank, for synthetic benchmark pages.

Sentences are built word by word from small grammars rather than drawn from a sentence list:
a page made of repeated stock sentences would be thrown out by Gopher's duplicate n-gram rules,
and the benchmark wants most pages to survive the filters like real articles do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from random import Random

__all__ = ["heading", "paragraph", "sentence", "spam_line", "title"]


def _words(text: str) -> list[str]:
    # Word banks are written as wrapped prose blocks: easier to read and extend than lists.
    return text.split()


NOUNS = _words(
    """
archive author boundary bridge budget cabinet canal carpenter castle cellar century chapter
charter climate coast committee community compass council county craft culture curator
customer decade delta desert diary district doctor editor engine estate evidence factory
farmer ferry festival field fisherman forest fortress garden generation glacier government
guild harbour harvest highway historian hospital household island journal journey kitchen
laboratory landscape language lantern ledger library lighthouse manuscript market meadow
merchant method mill minister monastery mountain museum neighbour network newspaper observer
orchard painter parish passenger pattern pilgrim pioneer planner plateau poet policy
population port printer professor province quarry railway reader record region reservoir
river road sailor school scientist season settlement shepherd shipyard signal society soil
station storm student survey teacher telescope territory textile theory timber tower trader
tradition traveller treaty tunnel university valley village vineyard voyage weaver
workshop writer
"""
)

ADJECTIVES = _words(
    """
ancient anxious ambitious bright broad careful central cheerful coastal cold common curious
dark deep distant dry early eastern elegant empty famous fertile fragile generous gentle
grand green heavy hidden honest humble industrial large late local loyal modern modest narrow
northern novel obscure ordinary patient peaceful practical private public quiet rapid rare
remote rural sacred seasonal silent simple small southern steady stubborn sturdy sudden
tall tidy tiny traditional urban useful vast vivid warm weathered western wild wooden young
"""
)

VERBS = _words(
    """
abandoned admired adopted balanced borrowed built carried challenged changed collected
compared connected considered copied crossed defended delivered described designed
discovered divided documented doubled drafted earned encouraged examined expanded explained
explored financed followed gathered guarded handled improved inherited inspected invited
joined launched lifted managed mapped measured mended moved noticed opened organised painted
planted praised prepared preserved printed protected questioned rebuilt recorded reduced
repaired replaced reported rescued restored revised sailed shaped shared sketched studied
supported surveyed taught tested traced traded trained visited watched welcomed widened
"""
)

ADVERBS = _words(
    """
briefly carefully clearly eventually finally firmly gradually largely loudly mostly nearly
openly partly patiently promptly quietly rarely readily regularly seldom slowly soon
steadily suddenly thoroughly usually widely
"""
)

PREPOSITIONS = _words(
    """
above across after against along among around before behind below beside beyond during
from inside into near of over through to toward under with within without
"""
)

OPENERS = [
    "However",
    "In practice",
    "Over time",
    "For most readers",
    "Even so",
    "At first",
    "In the end",
    "By the following spring",
    "According to the records",
    "To the surprise of many",
    "Later that year",
    "Without much fuss",
]

# Some names carry non-ASCII letters so the pages exercise UTF-8 decoding, as real pages do.
PLACES = _words(
    """
Aberdeen Bergen Córdoba Dubrovnik Erfurt Fribourg Gdańsk Hamburg Innsbruck Jönköping
Kraków León Lübeck Malmö Nîmes Oporto Perugia Québec Reykjavík Salzburg Málaga
Tromsø Utrecht Valencia Wrocław Zürich
"""
)

DETERMINERS = ["the", "the", "the", "a", "this", "that", "each", "our", "their", "every"]

SPAM_WORDS = ["cheap", "best", "deals", "online", "buy", "now", "discount", "offer"]


def _noun_phrase(rng: Random) -> str:
    det = rng.choice(DETERMINERS)
    words = (
        [rng.choice(ADJECTIVES), rng.choice(NOUNS)] if rng.random() < 0.6 else [rng.choice(NOUNS)]
    )
    if det == "a" and words[0][0] in "aeiou":
        det = "an"
    return " ".join([det, *words])


def _clause(rng: Random) -> str:
    parts = [_noun_phrase(rng)]
    if rng.random() < 0.3:
        parts.append(rng.choice(ADVERBS))
    parts += [rng.choice(VERBS), _noun_phrase(rng)]
    if rng.random() < 0.7:
        parts += [rng.choice(PREPOSITIONS), _noun_phrase(rng)]
    if rng.random() < 0.25:
        parts += ["in", rng.choice(PLACES)]
    return " ".join(parts)


def sentence(rng: Random) -> str:
    """One sentence: a clause, sometimes with an opener or a second clause joined to it."""
    shape = rng.random()
    if shape < 0.25:
        text = f"{rng.choice(OPENERS)}, {_clause(rng)}"
    elif shape < 0.45:
        text = f"{_clause(rng)}, and {_clause(rng)}"
    elif shape < 0.55:
        text = f"Because {_clause(rng)}, {_clause(rng)}"
    elif shape < 0.65:
        text = f"{_clause(rng)} that {rng.choice(VERBS)} {_noun_phrase(rng)}"
    else:
        text = _clause(rng)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: Random, low: int = 3, high: int = 7) -> str:
    """Between ``low`` and ``high`` sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def title(rng: Random) -> str:
    """A headline such as "The Weathered Lighthouse of Bergen"."""
    words = ["The", rng.choice(ADJECTIVES).title(), rng.choice(NOUNS).title()]
    return " ".join([*words, "of", rng.choice(PLACES)])


def heading(rng: Random) -> str:
    """A short section heading."""
    return f"{rng.choice(ADJECTIVES).title()} {rng.choice(NOUNS)}s and {rng.choice(NOUNS)}s"


def spam_line(rng: Random) -> str:
    """Keyword-stuffed text: few distinct words, so Gopher's top n-gram rules fire."""
    return " ".join(rng.choice(SPAM_WORDS) for _ in range(rng.randint(12, 20))) + "."
