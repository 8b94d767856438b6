"""What every benchmark row is handed: the shared input, a scratch folder, and the anchor env."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from bench.anchor_env import AnchorEnv
    from bench.make_input import InputSet
    from bench.results import Unavailable

__all__ = ["BenchContext"]


@dataclass(frozen=True, slots=True)
class BenchContext:
    """One benchmark run's shared state; rows read it and write only under ``work_dir``."""

    input: InputSet
    work_dir: Path
    workers: tuple[int, ...]
    anchor: AnchorEnv | Unavailable
    smoke: bool
    repeat: int = 1
    large: bool = False  # the rows' large inputs too (--large): minutes to hours

    def out_dir(self, name: str) -> Path:
        """A fresh-per-run output folder for one side of one row, e.g. ``build-ours-w2``."""
        return self.work_dir / "out" / name

    def log(self, name: str) -> Path:
        """Where one side's stderr goes."""
        return self.work_dir / "logs" / f"{name}.log"
