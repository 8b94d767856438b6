"""Small fixtures for the policies tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import RobotsTxt
from policies._pattern import Pattern
from tests.policies._work import CountingTarget, PatternWork

ROBOTS_DIR = Path(__file__).resolve().parent.parent / "data" / "robots"


@pytest.fixture
def robots_txt() -> RobotsTxt:
    """A site that opts its whole content out of training through the ``*`` group."""
    return RobotsTxt.parse(
        b"User-agent: Gleaner\nAllow: /\n\nUser-agent: *\nDisallow: /\n", status=200
    )


@pytest.fixture
def open_robots() -> RobotsTxt:
    """A site with no rules at all."""
    return RobotsTxt.parse(b"", status=200)


@pytest.fixture
def pattern_work(monkeypatch: pytest.MonkeyPatch) -> PatternWork:
    """Count the matcher's work: every ``Pattern.matches`` reads a counting target."""
    work = PatternWork()
    plain = Pattern.matches

    def counted(self: Pattern, target: str) -> bool:
        work.matches += 1
        return plain(self, CountingTarget(target, work))

    monkeypatch.setattr(Pattern, "matches", counted)
    return work
