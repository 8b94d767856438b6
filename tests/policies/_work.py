"""Work counted, not timed: how much of a target the pattern matcher reads, how many calls.

Timing a test on a shared machine measures the machine; counting what the code does measures
the code. ``PatternWork`` counts every ``Pattern.matches`` call and the characters its
searches pass over; ``calls`` counts Python and C function calls while a function runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, SupportsIndex

__all__ = ["CountingTarget", "PatternWork", "calls"]


@dataclass
class PatternWork:
    matches: int = 0  # Pattern.matches calls
    scanned: int = 0  # characters the matcher's searches passed over


class CountingTarget(str):
    """A match target that adds what each ``find`` reads to a ``PatternWork``."""

    work: PatternWork

    def __new__(cls, text: str, work: PatternWork) -> CountingTarget:
        target = super().__new__(cls, text)
        target.work = work
        return target

    def find(
        self, sub: str, start: SupportsIndex | None = None, end: SupportsIndex | None = None
    ) -> int:
        found = super().find(sub, start, end)
        begin = int(start or 0)
        self.work.scanned += (found + len(sub) if found >= 0 else len(self)) - begin
        return found


def calls(function: Callable[[], Any]) -> int:
    """How many Python and C functions ``function()`` calls, all told (deterministic)."""
    count = 0

    def profile(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    sys.setprofile(profile)
    try:
        function()
    finally:
        sys.setprofile(None)
    return count
