"""Suite-wide settings.

Hypothesis's per-example deadline is a wall-clock limit: on a shared, loaded machine it fails
tests that are correct. Speed is measured by ``make bench``, never asserted in a test.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("gleaner", deadline=None)
settings.load_profile("gleaner")
