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

from collections.abc import Iterable, Mapping

from policies._sfv import SfvSyntaxError, parse_dictionary

__all__ = [
    "AI_USE",
    "KNOWN_LABELS",
    "SEARCH",
    "TRAIN_AI",
    "combine_preferences",
    "parse_usage",
]

TRAIN_AI = "train-ai"
SEARCH = "search"
AI_USE = "ai-use"
KNOWN_LABELS = frozenset({TRAIN_AI, SEARCH, AI_USE})


def parse_usage(value: str) -> dict[str, bool] | None:
    """Parse one Content-Usage value; None when it is not a valid Dictionary."""
    try:
        members = parse_dictionary(value)
    except SfvSyntaxError:
        return None
    preferences: dict[str, bool] = {}
    for label, (kind, item) in members.items():
        if label in KNOWN_LABELS and kind == "token" and item in ("y", "n"):
            preferences[label] = item == "y"
    return preferences


def combine_preferences(statements: Iterable[Mapping[str, bool]]) -> dict[str, bool]:
    """Combine statements per label: any disallowed wins, else any allowed."""
    combined: dict[str, bool] = {}
    for statement in statements:
        for label, allowed in statement.items():
            combined[label] = combined.get(label, True) and allowed
    return combined
