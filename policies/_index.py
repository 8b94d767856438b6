"""Select and cache the merged rule set for a product token (RFC 9309 §2.2.1).

Selection is exact and case-insensitive on the product token, never by substring or prefix
(``applebot`` never answers for ``applebot-extended``). All groups naming the token merge; if
none does, the ``*`` groups merge; a specific group replaces ``*`` entirely.
"""

from __future__ import annotations

from policies._groups import GLOBAL_AGENT, Group
from policies._ruleset import RuleSet

__all__ = ["GroupIndex"]

_CACHE_LIMIT = 256


class GroupIndex:
    """The groups of one robots.txt under one grouping reading."""

    __slots__ = ("_cache", "_groups", "tokens")

    def __init__(self, groups: list[Group]) -> None:
        self._groups = groups
        self.tokens = frozenset(agent for group in groups for agent in group.agents)
        self._cache: dict[str, RuleSet] = {}

    def has_group(self, token: str) -> bool:
        """True if a group names ``token`` itself (not through ``*``)."""
        return bool(token) and token != GLOBAL_AGENT and token in self.tokens

    def ruleset(self, token: str) -> RuleSet:
        """The rule set ``token`` obeys: its own groups, else ``*``, else no rules."""
        cached = self._cache.get(token)
        if cached is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[token] = self._select(token)
        return cached

    def _select(self, token: str) -> RuleSet:
        if self.has_group(token):
            own = [group for group in self._groups if token in group.agents]
            return RuleSet(own, _label(own, token))
        star = [group for group in self._groups if GLOBAL_AGENT in group.agents]
        if star:
            return RuleSet(star, _label(star, GLOBAL_AGENT))
        return RuleSet([], "no group")


def _label(groups: list[Group], token: str) -> str:
    lines = [
        line.number
        for group in groups
        for line, agent in zip(group.agent_lines, group.agents, strict=True)
        if agent == token
    ]
    written = next(
        line.value
        for group in groups
        for line, agent in zip(group.agent_lines, group.agents, strict=True)
        if agent == token
    )
    where = ", ".join(str(number) for number in lines[:5])
    return f"User-agent: {written} (line {where})"
