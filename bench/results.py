"""What a benchmark row produces: one measured side each for Gleaner and its anchor."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["Result", "Side", "Unavailable", "fastest"]


@dataclass(frozen=True, slots=True)
class Side:
    """One side's run. ``rate`` is in the row's unit (higher is better), from wall time."""

    rate: float
    seconds: float
    docs_in: int
    docs_out: int
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A side that could not be measured, and why (shown in the table instead of a number)."""

    reason: str

    @property
    def skipped(self) -> bool:
        """A row that could not run here at all (``skipped: <reason>``): not a failure."""
        return self.reason.startswith("skipped:")


@dataclass(frozen=True, slots=True)
class Result:
    """One table row: ``name``, ours, theirs, and the unit both rates are in."""

    name: str
    ours: Side | Unavailable
    theirs: Side | Unavailable
    unit: str = "docs/s"

    @property
    def ratio(self) -> float | None:
        """ours / theirs: above 1 means Gleaner is faster. None when a side is missing."""
        if isinstance(self.ours, Side) and isinstance(self.theirs, Side) and self.theirs.rate:
            return self.ours.rate / self.theirs.rate
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "ours": asdict(self.ours),
            "theirs": asdict(self.theirs),
            "ratio": None if self.ratio is None else round(self.ratio, 3),
        }


def fastest(sides: Sequence[Side | Unavailable]) -> Side | Unavailable:
    """Best of repeated runs: noise on a shared machine only ever slows a run down.

    Any failed attempt wins over the numbers, so a flaky side is never reported as measured.
    """
    for side in sides:
        if isinstance(side, Unavailable):
            return side
    measured = [side for side in sides if isinstance(side, Side)]
    return max(measured, key=lambda side: side.rate) if measured else Unavailable("not run")
