"""TDM Reservation Protocol (W3C CG Final Report, 10 May 2024): the EU CDSM Art. 4 opt-out.

``tdm-reservation`` is ``1`` (rights reserved: do not mine, which includes training) or ``0``
(not reserved); any other value is a protocol error and counts as unset. ``tdm-policy`` is a
URL telling a licensing team whom to contact; it never grants rights by itself.

Three techniques, applied in order, each later one overriding (OPTOUT-SIGNALS.md §4):
``/.well-known/tdmrep.json`` < ``tdm-reservation``/``tdm-policy`` headers < HTML
``<meta name="tdm-reservation">``. Absence at a step never resets a value set earlier.

The well-known file is a JSON array of ``{"location", "tdm-reservation", "tdm-policy"?}``
rules. Unlike robots.txt the *first* matching rule in array order wins. An unreachable or
invalid file means the site does not implement the protocol: everything unset.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from policies._pattern import Pattern, compile_pattern
from policies._percent import canonical_url_path, match_target

__all__ = ["TdmRepFile", "TdmRepResult", "TdmRepRule", "parse_reservation", "resolve_tdmrep"]


def parse_reservation(value: object) -> int | None:
    """``0`` or ``1`` from a header, meta or JSON value; anything else is unset."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in (0, 1) else None
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return int(value.strip())
    return None


@dataclass(frozen=True, slots=True)
class TdmRepRule:
    """One rule of the well-known file; ``index`` is its position in the array."""

    pattern: Pattern
    location: str
    reservation: int | None
    policy: str | None
    index: int


class TdmRepFile:
    """A parsed ``/.well-known/tdmrep.json``."""

    __slots__ = ("rules", "sha256", "status")

    def __init__(self, rules: list[TdmRepRule], *, status: int | None, sha256: str) -> None:
        self.rules = rules
        self.status = status
        self.sha256 = sha256

    @classmethod
    def parse(cls, body: bytes | str, status: int = 200) -> TdmRepFile:
        """Parse a response; a non-2xx status or invalid JSON yields a file with no rules."""
        raw = body.encode("utf-8", "surrogateescape") if isinstance(body, str) else bytes(body)
        digest = hashlib.sha256(raw).hexdigest()
        rules = _parse_rules(raw) if 200 <= status < 300 else []
        return cls(rules, status=status, sha256=digest)

    @classmethod
    def unreachable(cls) -> TdmRepFile:
        """No file could be fetched: the site does not implement the protocol."""
        return cls([], status=None, sha256="")

    def rule_for(self, url: str) -> TdmRepRule | None:
        """The first rule, in array order, whose location matches ``url``."""
        target = canonical_url_path(match_target(url))
        return next((rule for rule in self.rules if rule.pattern.matches(target)), None)

    def reservation_for(self, url: str) -> tuple[int | None, str | None]:
        """``(tdm-reservation, tdm-policy)`` for ``url``; ``(None, None)`` when unset."""
        rule = self.rule_for(url)
        return (rule.reservation, rule.policy) if rule else (None, None)


def _parse_rules(raw: bytes) -> list[TdmRepRule]:
    try:
        document = json.loads(raw)
    except (ValueError, RecursionError):
        return []
    if not isinstance(document, list):
        return []
    rules = []
    for index, entry in enumerate(document):
        rule = _parse_rule(entry, index)
        if rule is not None:
            rules.append(rule)
    return rules


def _parse_rule(entry: object, index: int) -> TdmRepRule | None:
    """A rule without a usable location cannot match; a bad reservation matches as unset."""
    if not isinstance(entry, dict) or not isinstance(entry.get("location"), str):
        return None
    location: str = entry["location"]
    pattern = compile_pattern(location)
    if pattern is None:
        return None
    policy = entry.get("tdm-policy")
    value = entry.get("tdm-reservation")
    # The file's values are JSON numbers; "1" (a string) is a protocol error there.
    reservation = parse_reservation(value) if isinstance(value, int) else None
    return TdmRepRule(
        pattern, location, reservation, policy if isinstance(policy, str) else None, index
    )


@dataclass(frozen=True, slots=True)
class TdmRepResult:
    """The final values after the override chain, with where each came from."""

    reservation: int | None = None
    policy: str | None = None
    source: str = ""
    evidence: str = ""


def resolve_tdmrep(steps: Iterable[tuple[str, list[str], list[str], str]]) -> TdmRepResult:
    """Apply ``(source, reservations, policies, evidence)`` steps in priority order.

    Within one step (several headers or meta tags) a valid ``1`` beats a ``0``: the most
    restrictive reading of conflicting statements from the same technique.
    """
    result = TdmRepResult()
    for source, reservations, policies, evidence in steps:
        values = [v for v in (parse_reservation(each) for each in reservations) if v is not None]
        policy = next((p.strip() for p in policies if p.strip()), None)
        if values:
            result = TdmRepResult(max(values), result.policy, source, evidence)
        if policy:
            result = TdmRepResult(result.reservation, policy, result.source, result.evidence)
    return result
