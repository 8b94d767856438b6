"""Sub-command groups of the ``gleaner`` command line."""

from __future__ import annotations

__all__: list[str] = []
