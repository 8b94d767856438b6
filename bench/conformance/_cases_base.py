"""The case type and helper shared by the robots.txt case tables."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["URL_BASE", "RobotsCase", "cases"]

URL_BASE = "http://example.com"


@dataclass(frozen=True, slots=True)
class RobotsCase:
    """One expectation; ``source`` says where it comes from (and names the case)."""

    robots: str
    agent: str
    url: str
    allowed: bool
    source: str


def cases(source: str, robots: str, *expectations: tuple[str, str, bool]) -> list[RobotsCase]:
    """One case per ``(agent, url, allowed)`` against the same robots.txt."""
    return [RobotsCase(robots, agent, url, allowed, source) for agent, url, allowed in expectations]
