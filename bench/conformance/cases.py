"""The robots.txt conformance table, shared by ``tests/policies`` and ``make conformance``.

Each case is ``(robots.txt, agent, url, expected can_fetch, source)``. Cases are written from
RFC 9309's text and examples, from the behaviours google/robotstxt's ``robots_test.cc``
names (our own cases, not its code), and from OPTOUT-SIGNALS.md §1 and §8. Where Google
deliberately departs from the RFC (it does not normalise the URL), the RFC wins.
"""

from __future__ import annotations

from bench.conformance._cases_base import RobotsCase
from bench.conformance._cases_groups import GROUP_CASES, SYNTAX_CASES
from bench.conformance._cases_matching import ENCODING_CASES, MATCH_CASES

__all__ = ["ROBOTS_CASES", "RobotsCase"]

ROBOTS_CASES: list[RobotsCase] = [*GROUP_CASES, *SYNTAX_CASES, *MATCH_CASES, *ENCODING_CASES]
