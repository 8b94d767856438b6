"""The merged rules for one product token, and the longest-match decision (RFC 9309 §2.2.2).

All groups naming a token are merged into one rule set. Rules are sorted once, longest
pattern first and ``allow`` before ``disallow`` at equal length, so the first rule that
matches is the answer: the most specific match wins and allow wins exact ties.

To keep the per-URL cost low on large files, rules whose literal head (the text before any
``*``) spans a whole first path segment (``/section7/…``) are bucketed by that segment: a
URL only ever looks at its own segment's bucket plus the few rules with shorter heads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from policies._groups import Group
from policies._lexer import ALLOW, REQUEST_RATE, Line
from policies._pattern import Pattern, compile_pattern
from policies._prefs import PreferenceRule, compile_preference_rules, parse_signal
from policies.aipref import parse_usage

__all__ = ["Rule", "RuleSet"]


@dataclass(frozen=True, slots=True)
class Rule:
    """An Allow or Disallow rule; ``text`` is the line as written, for evidence."""

    allow: bool
    pattern: Pattern
    text: str
    line: int


class RuleSet:
    """Rules, delay and preferences that apply to one token (``label`` names the groups)."""

    __slots__ = ("_buckets", "_general", "_rules", "crawl_delay", "label", "signals", "usage")

    def __init__(self, groups: Sequence[Group], label: str) -> None:
        self.label = label
        self._rules = sorted(
            _compile_rules(line for group in groups for line in group.rules),
            key=_rank,
        )
        self._general: list[Rule] = []
        self._buckets: dict[str, list[Rule]] = {}
        for rule in self._rules:
            key = first_segment(rule.pattern.head)
            bucket = self._general if key is None else self._buckets.setdefault(key, [])
            bucket.append(rule)
        self.crawl_delay = _crawl_delay(line for group in groups for line in group.delays)
        usage_lines = [line for group in groups for line in group.usage]
        signal_lines = [line for group in groups for line in group.signals]
        self.usage: list[PreferenceRule] = compile_preference_rules(usage_lines, parse_usage)
        self.signals: list[PreferenceRule] = compile_preference_rules(signal_lines, parse_signal)

    def decide(self, target: str) -> Rule | None:
        """Return the rule that decides the canonical ``target``, or None (allowed)."""
        best = _first_match(self._general, target)
        key = first_segment(target)
        bucket = self._buckets.get(key) if key is not None else None
        if bucket:
            other = _first_match(bucket, target)
            if other is not None and (best is None or _rank(other) < _rank(best)):
                return other
        return best

    def lines(self) -> list[tuple[int, str]]:
        """Every rule and preference line of the set as ``(line number, text)``, file order."""
        found = {(rule.line, rule.text) for rule in self._rules}
        found |= {(pref.line, pref.text) for pref in (*self.usage, *self.signals)}
        return sorted(found)

    def __len__(self) -> int:
        return len(self._rules)


def first_segment(text: str) -> str | None:
    """``/a/b`` → ``/a/``; None when the text has no complete first segment."""
    end = text.find("/", 1)
    return text[: end + 1] if end > 0 else None


def _first_match(rules: list[Rule], target: str) -> Rule | None:
    for rule in rules:
        if rule.pattern.matches(target):
            return rule
    return None


def _rank(rule: Rule) -> tuple[int, bool]:
    return -rule.pattern.length, not rule.allow


def _compile_rules(lines: Iterable[Line]) -> list[Rule]:
    rules: list[Rule] = []
    for line in lines:
        pattern = compile_pattern(line.value)
        if pattern is None:
            continue
        allow = line.key == ALLOW
        rules.append(Rule(allow, pattern, f"{line.raw_key}: {line.value}", line.number))
        if allow and pattern.text[pattern.text.rfind("/") :].startswith("/index.htm"):
            # Google: allowing .../index.html also allows the directory URL ".../".
            directory = compile_pattern(pattern.text[: pattern.text.rfind("/") + 1] + "$")
            if directory is not None:
                rules.append(Rule(True, directory, rules[-1].text, line.number))
    return rules


def _crawl_delay(lines: Iterable[Line]) -> float | None:
    """The largest valid delay in seconds; Request-rate ``n/Ts`` counts as ``T/n``."""
    delays = [_delay_seconds(line) for line in lines]
    valid = [delay for delay in delays if delay is not None]
    return max(valid) if valid else None


def _delay_seconds(line: Line) -> float | None:
    words = line.value.split()
    text = words[0] if words else ""
    try:
        seconds = _request_rate_seconds(text) if line.key == REQUEST_RATE else float(text)
    except (ValueError, ZeroDivisionError):
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _request_rate_seconds(text: str) -> float:
    """``1/10s`` → 10.0 seconds between requests; units s, m, h, d (default s)."""
    requests, _, period = text.partition("/")
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    unit = period[-1:].lower()
    scale = units.get(unit, 1)
    if unit in units:
        period = period[:-1]
    return float(period) * scale / float(requests)
