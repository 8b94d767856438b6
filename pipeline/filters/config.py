"""All filter settings in one frozen value, and the filter steps it makes, in order.

The order is FineWeb's: language first (cheap, and the other rules assume the
language they were tuned on), then repetition, Gopher quality, C4, FineWeb,
and PII redaction last so that it only spends time on kept text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from pipeline._checks import unknown_name
from pipeline.errors import ConfigError
from pipeline.filters.c4 import C4Config, C4Filter
from pipeline.filters.fineweb import FineWebConfig, FineWebFilter
from pipeline.filters.gopher import QualityConfig, QualityFilter
from pipeline.filters.language import LanguageConfig, LanguageFilter
from pipeline.filters.pii import PiiConfig, PiiRedactor
from pipeline.filters.repetition import RepetitionConfig, RepetitionFilter
from pipeline.step import Step

__all__ = ["FiltersConfig", "filter_steps"]


@dataclass(frozen=True, slots=True)
class FiltersConfig:
    """The ``[filters.<name>]`` tables of a build config; ``[quality]`` is Gopher's."""

    language: LanguageConfig = field(default_factory=LanguageConfig)
    repetition: RepetitionConfig = field(default_factory=RepetitionConfig)
    c4: C4Config = field(default_factory=C4Config)
    fineweb: FineWebConfig = field(default_factory=FineWebConfig)
    pii: PiiConfig = field(default_factory=PiiConfig)

    @classmethod
    def from_tables(cls, tables: dict[str, Any], where: str) -> FiltersConfig:
        """Build from parsed TOML; an unknown table or key is an error naming it."""
        known = {f.name: f for f in fields(cls)}
        why = unknown_name(tables, known, "filters", tables=True)
        if why:
            raise ConfigError(f"{where}: {why}")
        made = {
            name: _section(where, name, known[name].default_factory, tables[name])
            for name in tables
        }
        return cls(**made)


def _section(where: str, name: str, kind: Any, table: Any) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [filters.{name}] must be a table")
    why = unknown_name(table, (f.name for f in fields(kind)), f"filters.{name}")
    if why:
        raise ConfigError(f"{where}: {why}")
    values = {k: _tupled(v) for k, v in table.items()}
    try:
        return kind(**values)
    except (TypeError, ConfigError) as exc:
        raise ConfigError(f"{where}: [filters.{name}] {exc}") from exc


def _tupled(value: Any) -> Any:
    # TOML arrays arrive as lists; the configs are frozen and hashable, so tuples.
    if isinstance(value, list):
        return tuple(_tupled(v) for v in value)
    return value


def filter_steps(quality: QualityConfig, filters: FiltersConfig) -> list[Step]:
    """The enabled filter steps in FineWeb order, PII redaction last."""
    candidates: list[tuple[bool, Step]] = [
        (filters.language.enabled, LanguageFilter(filters.language)),
        (filters.repetition.enabled, RepetitionFilter(filters.repetition)),
        (quality.enabled, QualityFilter(quality)),
        (filters.c4.enabled, C4Filter(filters.c4)),
        (filters.fineweb.enabled, FineWebFilter(filters.fineweb)),
        (filters.pii.enabled, PiiRedactor(filters.pii)),
    ]
    return [step for enabled, step in candidates if enabled]
