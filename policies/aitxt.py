"""Spawning's ai.txt: robots.txt syntax whose Disallow rules opt content out of datasets.

Little vendor uptake and unrelated files share the name, so we only ever read it as a
*restriction* (OPTOUT-SIGNALS.md §6): a Disallow that decides the URL for ``*`` or one of
our tokens is a training opt-out; an Allow, an absent file or an error response grants
nothing beyond robots.txt.
"""

from __future__ import annotations

from collections.abc import Iterable

from policies._groups import GLOBAL_AGENT, product_token
from policies._percent import canonical_url_path, match_target
from policies.robots import PARSED, FetchDecision, RobotsTxt

__all__ = ["AiTxt"]


class AiTxt:
    """A parsed ``/ai.txt``; a non-2xx response holds no rules."""

    __slots__ = ("_robots",)

    def __init__(self, robots: RobotsTxt) -> None:
        self._robots = robots

    @classmethod
    def parse(cls, body: bytes | str, status: int = 200) -> AiTxt:
        """Parse a response body; never raises. Only a 2xx body can hold rules."""
        return cls(RobotsTxt.parse(body, status))

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the body as received."""
        return self._robots.sha256

    def disallows(self, url: str, agents: Iterable[str]) -> bool:
        """True if ai.txt opts ``url`` out for ``*`` or any of ``agents``."""
        target = canonical_url_path(match_target(url))
        return self.disallowing(target, [product_token(agent) for agent in agents]) is not None

    def disallowing(self, target: str, tokens: Iterable[str]) -> FetchDecision | None:
        """The deciding Disallow for a canonical target and lower-cased tokens, if any."""
        if self._robots.outcome != PARSED:
            return None
        for token in dict.fromkeys([GLOBAL_AGENT, *tokens]):
            decision = self._robots.decide_target(target, token)
            if not decision.allowed:
                return decision
        return None
