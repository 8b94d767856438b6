"""The build configuration: inputs, consent defaults, thresholds, output.

Built from a TOML file (paths relative to the file) or from CLI flags; every
bad value is refused at startup with a message quoting it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pipeline.dedup.config import DedupConfig, dedup_config_from
from pipeline.errors import ConfigError
from pipeline.filters import FiltersConfig, QualityConfig

__all__ = ["BuildConfig", "load_build_config"]

_THIRD_PARTY = ("allow", "deny")


@dataclass(frozen=True)
class BuildConfig:
    """Everything a build needs; immutable, recorded in the dataset manifest."""

    output: Path
    crawls: tuple[Path, ...] = ()
    warcs: tuple[Path, ...] = ()
    licensed: tuple[Path, ...] = ()
    crawl_agent: str = "Gleaner"
    training_agent: str = "Gleaner-Extended"
    third_party_training: str = "deny"
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    quality: QualityConfig = field(default_factory=QualityConfig)
    filters: FiltersConfig = field(default_factory=FiltersConfig)
    extract_timeout: float = 30.0
    max_rows_per_shard: int = 100_000
    dedup: DedupConfig = field(default_factory=DedupConfig)
    build_date: date = field(default_factory=lambda: datetime.now(UTC).date())
    resume: bool = False

    def __post_init__(self) -> None:
        if self.third_party_training not in _THIRD_PARTY:
            raise ConfigError(
                f"third_party_training ({self.third_party_training!r}) must be 'allow' or 'deny'"
            )
        if self.workers < 1:
            raise ConfigError(f"workers ({self.workers!r}) must be >= 1")
        if self.extract_timeout <= 0:
            raise ConfigError(f"extract_timeout ({self.extract_timeout!r}) must be > 0")
        if self.max_rows_per_shard < 1:
            raise ConfigError(f"max_rows_per_shard ({self.max_rows_per_shard!r}) must be >= 1")
        if not (self.crawls or self.warcs or self.licensed):
            raise ConfigError("no inputs: give at least one crawl run, WARC path or manifest")

    def to_json(self) -> dict[str, Any]:
        """A JSON-safe record of this config for the manifest."""
        data = asdict(self)
        for key in ("output",):
            data[key] = str(data[key])
        for key in ("crawls", "warcs", "licensed"):
            data[key] = [str(p) for p in data[key]]
        data["build_date"] = self.build_date.isoformat()
        return data


def load_build_config(path: Path, **overrides: Any) -> BuildConfig:
    """Read a build TOML file; keyword overrides (from CLI flags) win."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: unreadable build config: {exc}") from exc
    base = path.parent
    inputs = data.get("inputs", {})
    consent = data.get("consent", {})
    values: dict[str, Any] = {
        "output": base / data.get("output", "datasets/default"),
        "crawls": tuple(base / p for p in inputs.get("crawls", [])),
        "warcs": tuple(base / p for p in inputs.get("warcs", [])),
        "licensed": tuple(base / p for p in inputs.get("licensed", [])),
        "quality": _quality(path, data.get("quality", {})),
        "dedup": dedup_config_from(data.get("dedup", {})),
        "filters": FiltersConfig.from_tables(data.get("filters", {}), str(path)),
        **{
            k: consent[k]
            for k in ("crawl_agent", "training_agent", "third_party_training")
            if k in consent
        },
    }
    if "workers" in data:
        values["workers"] = data["workers"]
    if "timeout" in data.get("extract", {}):
        values["extract_timeout"] = data["extract"]["timeout"]
    if "max_rows" in data.get("shards", {}):
        values["max_rows_per_shard"] = data["shards"]["max_rows"]
    values.update({k: v for k, v in overrides.items() if v not in (None, ())})
    return BuildConfig(**values)


def _quality(path: Path, table: dict[str, Any]) -> QualityConfig:
    known = {f.name for f in fields(QualityConfig)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown [quality] keys: {', '.join(unknown)}")
    return QualityConfig(**table)  # fields are plain scalars: TOML types are the right ones
