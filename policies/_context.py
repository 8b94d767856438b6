"""Everything one evaluation needs, normalised once (tokens, canonical target, robots)."""

from __future__ import annotations

from dataclasses import dataclass

from policies._groups import product_token
from policies._percent import canonical_url_path, match_target
from policies.config import PolicyConfig
from policies.robots import ALLOW_ALL, DISALLOW_ALL, RobotsTxt

__all__ = ["Context"]


@dataclass(frozen=True, slots=True)
class Context:
    """``crawl_token``/``training_token`` are lower-cased product tokens."""

    url: str
    target: str
    crawl_token: str
    training_token: str
    robots: RobotsTxt | None
    config: PolicyConfig

    @classmethod
    def build(
        cls,
        url: str,
        crawl_agent: str,
        training_agent: str | None,
        robots: RobotsTxt | None,
        config: PolicyConfig,
    ) -> Context:
        target = canonical_url_path(match_target(url))
        training = product_token(training_agent or config.training_agent)
        return cls(
            url, target, product_token(crawl_agent), training, _effective(robots, config), config
        )

    @property
    def robots_usable(self) -> bool:
        """True when a robots.txt was read and did not fail (the publisher could opt out)."""
        return self.robots is not None and self.robots.outcome != DISALLOW_ALL


def _effective(robots: RobotsTxt | None, config: PolicyConfig) -> RobotsTxt | None:
    """For a 401/403 robots.txt, ``config.deny_on_401_403`` decides, whatever parse assumed."""
    if robots is None or robots.status not in (401, 403):
        return robots
    outcome = DISALLOW_ALL if config.deny_on_401_403 else ALLOW_ALL
    if outcome == robots.outcome:
        return robots
    return RobotsTxt(outcome, status=robots.status, sha256=robots.sha256, size=robots.size)
