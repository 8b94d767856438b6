"""Gleaner: a polite crawler and licensed-data pipeline for pretraining datasets.

This package holds the ``gleaner`` command line, the demo, and the bundled
example web and licensed sample; the work itself lives in ``crawler``,
``pipeline`` and ``policies``.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
