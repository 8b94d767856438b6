"""robots.txt as a value: parse once per fetch, then answer ``can_fetch`` per URL (RFC 9309).

The fetch outcome is a pure function of the HTTP status and body (OPTOUT-SIGNALS.md §1.1):

* 2xx: parse the body (an HTML soft-404 yields no groups, hence no rules);
* 3xx: the caller follows up to five redirects; a 3xx reaching us means it gave up, which
  RFC 9309 §2.3.1.2 lets us treat as unavailable (4xx): allow all;
* 401 and 403: disallow all by default (usually a WAF blocking the bot; stricter than the
  RFC's MAY), allow all with ``deny_on_401_403=False``;
* 429, 5xx and anything else: unreachable, disallow all (RFC 9309 §2.3.1.4);
* other 4xx: allow all, without parsing the body;
* timeouts and network errors: :meth:`RobotsTxt.unreachable`.

Crawl decisions take the stricter of two groupings: plain RFC 9309 and attach-05, which
differ only when a ``Content-Usage`` line sits between ``user-agent`` lines (§5.2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from policies._groups import GLOBAL_AGENT, build_groups, product_token
from policies._index import GroupIndex
from policies._lexer import SITEMAP, decode_body, tokenize
from policies._percent import canonical_url_path, match_target
from policies._prefs import PreferenceRule, select_preferences

__all__ = [
    "ALLOW_ALL",
    "DISALLOW_ALL",
    "PARSED",
    "AppliedRules",
    "FetchDecision",
    "RobotsTxt",
    "outcome_for_status",
]

PARSED = "parsed"
ALLOW_ALL = "allow-all"
DISALLOW_ALL = "disallow-all"
_ROBOTS_PATH = "/robots.txt"


@dataclass(frozen=True, slots=True)
class FetchDecision:
    """Whether a token may fetch a URL, and the evidence: the rule, its line and group."""

    allowed: bool
    rule: str = ""
    line: int | None = None
    group: str = ""


@dataclass(frozen=True, slots=True)
class AppliedRules:
    """The group a token obeys in one robots.txt and its lines as written, for an audit:
    ``group`` names it (``User-agent: * (line 1)``, ``no group``, or the status rule when
    the body was not parsed); ``lines`` are ``line N: Disallow: /x`` in file order."""

    group: str
    lines: tuple[str, ...] = ()


def outcome_for_status(status: int, *, deny_on_401_403: bool = True) -> str:
    """Map an HTTP status to ``parsed``, ``allow-all`` or ``disallow-all`` (module docstring)."""
    if 200 <= status < 300:
        return PARSED
    if status in (401, 403):
        return DISALLOW_ALL if deny_on_401_403 else ALLOW_ALL
    if 300 <= status < 500 and status != 429:
        return ALLOW_ALL
    return DISALLOW_ALL


class RobotsTxt:
    """One robots.txt for one scheme + authority, as fetched at one time."""

    __slots__ = ("_attach", "_rfc", "outcome", "sha256", "sitemaps", "size", "status", "truncated")

    def __init__(self, outcome: str, *, status: int | None, sha256: str, size: int = 0) -> None:
        self.outcome = outcome
        self.status = status
        self.sha256 = sha256
        self.size = size
        self.truncated = False
        self.sitemaps: list[str] = []
        self._rfc = self._attach = GroupIndex([])

    @classmethod
    def parse(
        cls, body: bytes | str, status: int = 200, *, deny_on_401_403: bool = True
    ) -> RobotsTxt:
        """Build from a response; never raises, whatever the body holds."""
        raw = body.encode("utf-8", "surrogateescape") if isinstance(body, str) else bytes(body)
        outcome = outcome_for_status(status, deny_on_401_403=deny_on_401_403)
        robots = cls(outcome, status=status, sha256=hashlib.sha256(raw).hexdigest(), size=len(raw))
        if outcome == PARSED:
            robots._load(raw)
        return robots

    @classmethod
    def unreachable(cls) -> RobotsTxt:
        """Timeout, network error or truncated body: disallow all (RFC 9309 §2.3.1.4)."""
        return cls(DISALLOW_ALL, status=None, sha256="")

    def _load(self, raw: bytes) -> None:
        text, self.truncated = decode_body(raw)
        lines = list(tokenize(text))
        self.sitemaps = list(dict.fromkeys(ln.value for ln in lines if ln.key == SITEMAP))
        self._rfc = GroupIndex(build_groups(lines, usage_is_rule=False))
        if any(line.key == "content-usage" for line in lines):
            self._attach = GroupIndex(build_groups(lines, usage_is_rule=True))
        else:
            self._attach = self._rfc

    def can_fetch(self, url: str, agent: str, *, fallback_agents: Sequence[str] = ()) -> bool:
        """May the product token ``agent`` fetch ``url``?

        With ``fallback_agents`` (Apple's rule, OPTOUT-SIGNALS.md §1.3): when ``agent`` has
        no group of its own, obey the stricter of ``*`` and each fallback agent's own group.
        """
        return self.decide(url, agent, fallback_agents=fallback_agents).allowed

    def decide(self, url: str, agent: str, *, fallback_agents: Sequence[str] = ()) -> FetchDecision:
        """Like :meth:`can_fetch`, with the deciding rule as evidence."""
        target = canonical_url_path(match_target(url))
        return self.decide_target(target, product_token(agent), fallback_agents)

    def decide_target(
        self, target: str, token: str, fallback_agents: Sequence[str] = ()
    ) -> FetchDecision:
        """Decide a canonical match target for a lower-cased product token."""
        if self.outcome != PARSED or target == _ROBOTS_PATH:
            allowed = self.outcome != DISALLOW_ALL or target == _ROBOTS_PATH
            return FetchDecision(allowed, rule=self._status_rule())
        tokens = [token]
        if fallback_agents and not self._rfc.has_group(token):
            fallbacks = (product_token(agent) for agent in fallback_agents)
            tokens = [GLOBAL_AGENT, *(t for t in fallbacks if self._rfc.has_group(t))]
        decisions = [self._decide_one(target, each) for each in tokens]
        return next((d for d in decisions if not d.allowed), decisions[0])

    def _decide_one(self, target: str, token: str) -> FetchDecision:
        decision = _decide_in(self._rfc, target, token)
        if decision.allowed and self._attach is not self._rfc:
            stricter = _decide_in(self._attach, target, token)
            if not stricter.allowed:
                return stricter
        return decision

    def _status_rule(self) -> str:
        return "no response (unreachable)" if self.status is None else f"HTTP {self.status}"

    def applied(self, agent: str) -> AppliedRules:
        """The group ``agent``'s product token obeys (its own, else ``*``) and its lines."""
        if self.outcome != PARSED:
            return AppliedRules(f"{self._status_rule()}: {self.outcome}")
        ruleset = self._rfc.ruleset(product_token(agent))
        lines = ruleset.lines()
        if self._attach is not self._rfc:  # attach-05 may hand the token more lines (§5.2)
            lines = sorted({*lines, *self._attach.ruleset(product_token(agent)).lines()})
        return AppliedRules(ruleset.label, tuple(f"line {n}: {text}" for n, text in lines))

    def has_group(self, agent: str) -> bool:
        """True if a group names ``agent``'s product token itself."""
        return self._rfc.has_group(product_token(agent))

    def crawl_delay(self, agent: str) -> float | None:
        """Seconds between requests from the selected group (Crawl-delay or Request-rate)."""
        token = product_token(agent)
        delays = [index.ruleset(token).crawl_delay for index in (self._rfc, self._attach)]
        valid = [delay for delay in delays if delay is not None]
        return max(valid) if valid else None

    def content_usage(
        self, target: str, token: str
    ) -> tuple[dict[str, bool], tuple[PreferenceRule, ...]]:
        """attach-05 preferences for a canonical target, from the attach-05 grouping."""
        return select_preferences(self._attach.ruleset(token).usage, target)

    def content_signals(
        self, target: str, token: str
    ) -> tuple[dict[str, bool], tuple[PreferenceRule, ...]]:
        """Content-Signal preferences for a canonical target, stricter of both groupings."""
        rules = list(self._rfc.ruleset(token).signals)
        if self._attach is not self._rfc:
            rules += [r for r in self._attach.ruleset(token).signals if r not in rules]
        return select_preferences(rules, target)

    def __repr__(self) -> str:
        return f"RobotsTxt(outcome={self.outcome!r}, status={self.status!r}, size={self.size})"


def _decide_in(index: GroupIndex, target: str, token: str) -> FetchDecision:
    ruleset = index.ruleset(token)
    rule = ruleset.decide(target)
    if rule is None:
        return FetchDecision(True, group=ruleset.label)
    return FetchDecision(rule.allow, rule.text, rule.line, ruleset.label)
