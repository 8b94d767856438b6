"""Small fixtures for the policies tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies import RobotsTxt

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
