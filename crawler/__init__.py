"""Gleaner's Scrapy project: a polite crawler that records every consent decision.

``JobSpec`` and ``load_job`` are imported on first use (PEP 562), so importing
``crawler.errors`` (as every CLI verb does) does not load Scrapy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from crawler.errors import CrawlerError, CrawlFailed, JobSpecError, SettingError

if TYPE_CHECKING:
    from crawler.jobspec import JobSpec, load_job

__all__ = [
    "CrawlFailed",
    "CrawlerError",
    "JobSpec",
    "JobSpecError",
    "SettingError",
    "load_job",
]


def __getattr__(name: str) -> Any:
    """Import ``JobSpec`` and ``load_job`` from :mod:`crawler.jobspec` on first use."""
    if name not in ("JobSpec", "load_job"):
        raise AttributeError(f"module 'crawler' has no attribute {name!r}")
    value = getattr(importlib.import_module("crawler.jobspec"), name)
    globals()[name] = value
    return value
