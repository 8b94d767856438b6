"""Path-scoped usage preferences inside robots.txt groups (attach-05 §3, Content Signals).

``Content-Usage: [/path ]train-ai=n`` and ``Content-Signal: [/path ]ai-train=no`` attach
preferences to paths. The rule with the longest matching path decides; rules with paths of
equal length combine restrictively (unlike Allow/Disallow ties). A rule without a path
applies to every path of the group and counts as ``/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from policies._lexer import Line
from policies._pattern import Pattern, compile_pattern
from policies.aipref import combine_preferences

__all__ = ["PreferenceRule", "compile_preference_rules", "parse_signal", "select_preferences"]

_SIGNAL_VALUES = {"yes": True, "no": False}


@dataclass(frozen=True, slots=True)
class PreferenceRule:
    """One path-scoped preference line."""

    pattern: Pattern
    preferences: Mapping[str, bool]
    text: str
    line: int


def parse_signal(value: str) -> dict[str, bool]:
    """Parse a Content-Signal value (``search=yes, ai-train=no``); other values are ignored."""
    preferences: dict[str, bool] = {}
    for item in value.split(","):
        key, equals, answer = item.partition("=")
        allowed = _SIGNAL_VALUES.get(answer.strip().lower())
        if equals and allowed is not None:
            label = key.strip().lower()
            preferences[label] = preferences.get(label, True) and allowed
    return preferences


def compile_preference_rules(
    lines: Iterable[Line], parse: Callable[[str], Mapping[str, bool] | None]
) -> list[PreferenceRule]:
    """Compile preference lines; lines whose value does not parse are skipped."""
    rules = []
    for line in lines:
        path, preferences = _split_path(line.value)
        pattern = compile_pattern(path)
        parsed = parse(preferences)
        if pattern is not None and parsed:
            text = f"{line.raw_key}: {line.value}"
            rules.append(PreferenceRule(pattern, parsed, text, line.number))
    return rules


def _split_path(value: str) -> tuple[str, str]:
    if value.startswith("/"):
        path, _, rest = value.partition(" ")
        if "\t" in path:
            path, _, more = path.partition("\t")
            rest = f"{more} {rest}"
        return path, rest.strip()
    return "/", value


def select_preferences(
    rules: Iterable[PreferenceRule], target: str
) -> tuple[dict[str, bool], tuple[PreferenceRule, ...]]:
    """Return the preferences for ``target`` and the rules that gave them."""
    best: list[PreferenceRule] = []
    best_length = -1
    for rule in rules:
        if rule.pattern.length >= best_length and rule.pattern.matches(target):
            if rule.pattern.length > best_length:
                best, best_length = [], rule.pattern.length
            best.append(rule)
    return combine_preferences(rule.preferences for rule in best), tuple(best)
