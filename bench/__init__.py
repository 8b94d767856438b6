"""Gleaner's benchmark harness: Gleaner and its anchors side by side on the same input.

Run ``python -m bench.run`` (or ``make bench``); see ``bench/README.md``.
"""

from __future__ import annotations

__all__: list[str] = []
