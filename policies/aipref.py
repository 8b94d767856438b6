"""IETF AI-preferences usage statements (draft-ietf-aipref-vocab-07/08, attach-05).

A statement is an RFC 9651 Dictionary such as ``train-ai=n, search=y``. Processing, as
OPTOUT-SIGNALS.md §5.1 summarises the drafts:

* labels are case-sensitive keys; unknown labels (including retired ones like
  ``train-genai``) are ignored, and so are parameters;
* only the Tokens ``y`` and ``n`` mean allowed / disallowed; anything else (a Boolean, the
  String ``"n"``, the Token ``no``) leaves the category unknown;
* the last duplicate key wins;
* a value that does not parse as a Dictionary (``TRAIN-AI=n``, a trailing comma) is
  unknown for every category;
* several statements combine "most restrictive first": any disallowed wins, else any
  allowed, else unknown.

Preferences map a label to ``True`` (allowed) or ``False`` (disallowed); a label that is
absent is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

from http_sfv.dictionary import Dictionary
from http_sfv.item import InnerList, Item
from http_sfv.types import Token

__all__ = [
    "AI_USE",
    "KNOWN_LABELS",
    "SEARCH",
    "TRAIN_AI",
    "combine_preferences",
    "parse_dictionary",
    "parse_usage",
]

TRAIN_AI = "train-ai"
SEARCH = "search"
AI_USE = "ai-use"
KNOWN_LABELS = frozenset({TRAIN_AI, SEARCH, AI_USE})


def parse_usage(value: str) -> dict[str, bool] | None:
    """Parse one Content-Usage value; None when it is not a valid Dictionary."""
    members = parse_dictionary(value)
    if members is None:
        return None
    preferences: dict[str, bool] = {}
    for label, member in members.items():
        item = member.value if isinstance(member, Item) else None
        if label in KNOWN_LABELS and isinstance(item, Token) and item in ("y", "n"):
            preferences[label] = item == "y"
    return preferences


def parse_dictionary(value: str) -> Dictionary | None:
    """``value`` as an RFC 9651 Dictionary (http-sfv), or None when it does not parse.

    Two corrections keep http-sfv 0.9.9 to RFC 9651: an empty value is an empty Dictionary
    (§4.2; http-sfv refuses it), and a Decimal ending in "." fails (§4.2.4 step 9; http-sfv
    accepts ``1.``, which it reads as a Decimal of exponent 0: a well-formed Decimal always
    has one to three fraction digits, so a negative exponent). Leading and trailing spaces
    and tabs are not part of an HTTP field value (RFC 9110 §5.5), so they are dropped first.
    """
    text = value.strip(" \t")
    members = Dictionary()
    if not text:
        return members
    try:
        members.parse(text.encode("ascii"))  # Structured Fields are ASCII (§4.2 step 1)
    except ValueError:  # UnicodeEncodeError included
        return None
    if any(isinstance(bare, Decimal) and bare.as_tuple().exponent == 0 for bare in _bare(members)):
        return None
    return members


def _bare(members: Dictionary) -> Iterator[object]:
    """Every bare item of a parsed Dictionary: values, inner-list items, parameters."""
    for member in members.values():
        items = [*member, member] if isinstance(member, InnerList) else [member]
        for item in items:
            yield getattr(item, "value", None)
            yield from item.params.values()


def combine_preferences(statements: Iterable[Mapping[str, bool]]) -> dict[str, bool]:
    """Combine statements per label: any disallowed wins, else any allowed."""
    combined: dict[str, bool] = {}
    for statement in statements:
        for label, allowed in statement.items():
            combined[label] = combined.get(label, True) and allowed
    return combined
