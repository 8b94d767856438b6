"""Page-level robots rules: the ``X-Robots-Tag`` header and ``<meta name="robots">`` tags.

Both carry comma-separated rules, either for every crawler (header without prefix, meta
``robots``) or for one product token (header ``token: rules``, meta ``name="token"``).
Names, tokens and values are case-insensitive. Policy (OPTOUT-SIGNALS.md §3):

* a crawler obeys the *sum of negative rules* for ``robots`` and its own token;
* a header item like ``max-snippet:0`` or ``unavailable_after: …`` carries its own colon
  and is a rule, not an agent prefix;
* ``otherbot: noindex, nofollow`` addresses only otherbot (Google's documented example);
* Google never defined a second ``token:`` inside one header line; datadiligence treats
  un-prefixed items of such a line as global; we apply a rule to us if *any* reading does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from policies._groups import product_token

__all__ = [
    "NEGATIVE_RULES",
    "RobotsDirective",
    "directives_from_header",
    "directives_from_meta",
    "rules_for",
]

X_ROBOTS_TAG = "x_robots_tag"
META_ROBOTS = "meta_robots"
# Rule names whose value follows their own colon.
_COLON_RULES = frozenset(
    {"max-snippet", "max-image-preview", "max-video-preview", "unavailable_after"}
)
# Rules that restrict nothing; everything else a publisher writes counts as negative.
_POSITIVE_RULES = frozenset({"all", "index", "follow", "indexifembedded", "noodp", "noydir"})
NEGATIVE_RULES = frozenset(
    {"noindex", "nofollow", "none", "nosnippet", "noarchive", "nocache", "noai", "noimageai"}
)
_PREFIX = re.compile(r"\s*([A-Za-z0-9_.\-]+)\s*:\s*(.*)\Z", re.DOTALL)


@dataclass(frozen=True, slots=True)
class RobotsDirective:
    """One rule for one audience; ``agent`` is None for every crawler."""

    agent: str | None
    rule: str
    value: str
    origin: str
    evidence: str

    @property
    def text(self) -> str:
        """The rule as a publisher would write it, e.g. ``gleaner: max-snippet:0``."""
        rule = f"{self.rule}:{self.value}" if self.value else self.rule
        return f"{self.agent}: {rule}" if self.agent else rule

    @property
    def is_negative(self) -> bool:
        """True for rules that restrict use (``max-snippet:0`` is ``nosnippet``)."""
        if self.rule == "max-snippet":
            return self.value.strip() == "0"
        return self.rule not in _POSITIVE_RULES and self.rule not in _COLON_RULES


def directives_from_header(value: str) -> list[RobotsDirective]:
    """Parse one ``X-Robots-Tag`` header value (one line)."""
    evidence = f"X-Robots-Tag: {value.strip()}"
    items = [_split_prefix(item) for item in value.split(",")]
    prefixed = [agent for agent, _ in items if agent]
    ambiguous = len(prefixed) > 1
    directives: list[RobotsDirective] = []
    current: str | None = None
    for agent, rule_text in items:
        current = agent or current
        audiences = _audiences(agent, current, prefixed[0] if ambiguous else None)
        name, rule_value = _split_rule(rule_text)
        if name:
            directives.extend(
                RobotsDirective(who, name, rule_value, X_ROBOTS_TAG, evidence) for who in audiences
            )
    return directives


def _audiences(agent: str | None, current: str | None, line_agent: str | None) -> list[str | None]:
    """Who an item addresses; ``line_agent`` is set only for lines with several prefixes.

    In such a line an un-prefixed item is read three ways: for the line's first token
    (Google: one prefix per line), for the latest prefix, and for everyone (datadiligence).
    """
    if agent:
        return [agent]
    if line_agent:
        return list(dict.fromkeys([line_agent, current, None]))
    return [current]


def directives_from_meta(name: str, content: str) -> list[RobotsDirective]:
    """Parse one ``<meta name content>``; ``robots`` addresses every crawler."""
    agent = None if name == "robots" else product_token(name)
    evidence = f'<meta name="{name}" content="{content.strip()}">'
    directives = []
    for item in content.split(","):
        rule, rule_value = _split_rule(item)
        if rule:
            directives.append(RobotsDirective(agent, rule, rule_value, META_ROBOTS, evidence))
    return directives


def rules_for(
    directives: Iterable[RobotsDirective], agents: Iterable[str | None]
) -> list[RobotsDirective]:
    """The negative directives addressed to any of ``agents`` (None = every crawler)."""
    audience = set(agents)
    return [d for d in directives if d.agent in audience and d.is_negative]


def _split_prefix(item: str) -> tuple[str | None, str]:
    found = _PREFIX.match(item)
    if found is None or found.group(1).lower() in _COLON_RULES:
        return None, item
    return product_token(found.group(1)) or None, found.group(2)


def _split_rule(text: str) -> tuple[str, str]:
    name, _, value = text.strip().partition(":")
    return name.strip().lower(), value.strip()
