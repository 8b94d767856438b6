"""Filters after extraction: language, repetition, quality (Gopher, C4, FineWeb), PII.

Each is a step with counted drop reasons and a frozen config; the build
config's ``[quality]`` and ``[filters.*]`` tables fill them (see
:class:`FiltersConfig`).
"""

from __future__ import annotations

from pipeline.filters.c4 import C4Config, C4Filter
from pipeline.filters.config import FiltersConfig, filter_steps
from pipeline.filters.fineweb import FineWebConfig, FineWebFilter
from pipeline.filters.gopher import QualityConfig, QualityFilter
from pipeline.filters.language import LanguageConfig, LanguageFilter, identify
from pipeline.filters.pii import PiiConfig, PiiRedactor, redact
from pipeline.filters.repetition import RepetitionConfig, RepetitionFilter

__all__ = [
    "C4Config",
    "C4Filter",
    "FiltersConfig",
    "FineWebConfig",
    "FineWebFilter",
    "LanguageConfig",
    "LanguageFilter",
    "PiiConfig",
    "PiiRedactor",
    "QualityConfig",
    "QualityFilter",
    "RepetitionConfig",
    "RepetitionFilter",
    "filter_steps",
    "identify",
    "redact",
]
