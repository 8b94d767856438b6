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

from pipeline._checks import bounded, check_fields, unknown_name
from pipeline.dedup.config import DEDUP_KEYS, DedupConfig, dedup_config_from
from pipeline.errors import ConfigError
from pipeline.filters import FiltersConfig, QualityConfig
from record.tokens import CRAWL_TOKEN, TRAINING_TOKEN

__all__ = ["BUILD_KEYS", "BuildConfig", "build_tables", "load_build_config"]

_THIRD_PARTY = ("allow", "deny")
_EXECUTORS = ("local", "ray")
#: More worker processes than this, or an extraction allowed to run for over an
#: hour a page, can only be a typo.
_MAX_WORKERS = 1024
_MAX_TIMEOUT = 3600.0


@dataclass(frozen=True)
class BuildConfig:
    """Everything a build needs; immutable, recorded in the dataset manifest."""

    output: Path
    crawls: tuple[Path, ...] = ()
    warcs: tuple[Path, ...] = ()
    licensed: tuple[Path, ...] = ()
    crawl_agent: str = CRAWL_TOKEN
    training_agent: str = TRAINING_TOKEN
    third_party_training: str = "deny"
    workers: int = field(
        default_factory=lambda: os.cpu_count() or 1, metadata={"range": (1, _MAX_WORKERS)}
    )
    quality: QualityConfig = field(default_factory=QualityConfig)
    filters: FiltersConfig = field(default_factory=FiltersConfig)
    extract_timeout: float = bounded(30.0, 0, _MAX_TIMEOUT)
    max_rows_per_shard: int = bounded(100_000, 1)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    build_date: date = field(default_factory=lambda: datetime.now(UTC).date())
    resume: bool = False
    allow_empty: bool = False  # write a version with no document rather than refuse
    executor: str = "local"  # where stage 1 and the dedup keys run: "local" or "ray"
    ray_address: str = ""  # an existing Ray cluster; "" starts a local instance

    def __post_init__(self) -> None:
        check_fields(self)
        if self.third_party_training not in _THIRD_PARTY:
            raise ConfigError(
                f"third_party_training ({self.third_party_training!r}) must be 'allow' or 'deny'"
            )
        if self.executor not in _EXECUTORS:
            raise ConfigError(f"executor ({self.executor!r}) must be 'local' or 'ray'")
        if self.ray_address and self.executor != "ray":
            raise ConfigError(f"ray_address ({self.ray_address!r}) needs executor 'ray'")
        if self.extract_timeout <= 0:
            raise ConfigError(f"extract_timeout ({self.extract_timeout!r}) must be > 0")
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
    _check_names(path, data)
    base = path.parent
    inputs = _table(path, data, "inputs")
    values: dict[str, Any] = {
        "output": base / _string(path, data, "output", "datasets/default"),
        **{key: tuple(base / p for p in _paths(path, inputs, key)) for key in _INPUTS},
        "quality": _quality(path, _table(path, data, "quality")),
        "dedup": _dedup(path, _table(path, data, "dedup")),
        "filters": FiltersConfig.from_tables(_table(path, data, "filters"), str(path)),
    }
    for (table, key), name in _SCALARS.items():
        section = _table(path, data, table) if table else data
        if key in section:
            values[name] = section[key]
    values.update({k: v for k, v in overrides.items() if v not in (None, ())})
    try:
        return BuildConfig(**values)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {_file_key(str(exc))}") from None


#: Scalar keys of a build file, ``(table, key)`` -> :class:`BuildConfig` field.
_SCALARS: dict[tuple[str, str], str] = {
    ("", "workers"): "workers",
    ("", "executor"): "executor",
    ("", "ray_address"): "ray_address",
    ("consent", "crawl_agent"): "crawl_agent",
    ("consent", "training_agent"): "training_agent",
    ("consent", "third_party_training"): "third_party_training",
    ("extract", "timeout"): "extract_timeout",
    ("shards", "max_rows"): "max_rows_per_shard",
}
_INPUTS = ("crawls", "warcs", "licensed")

#: Every table of a build file and its keys ("" holds the top-level keys); the
#: ``[filters.<name>]`` tables are :class:`FiltersConfig`'s and check themselves.
BUILD_KEYS: dict[str, tuple[str, ...]] = {
    "": ("output", *(key for table, key in _SCALARS if not table)),
    "inputs": _INPUTS,
    **{
        table: tuple(k for t, k in _SCALARS if t == table)
        for table in dict.fromkeys(t for t, _ in _SCALARS if t)
    },
    "quality": tuple(f.name for f in fields(QualityConfig)),
    "dedup": DEDUP_KEYS,
    "filters": tuple(f.name for f in fields(FiltersConfig)),
}


def build_tables(config: BuildConfig) -> dict[str, dict[str, Any]]:
    """``config`` as a build file would say it, every default filled in (``""``: top level)."""
    tables: dict[str, dict[str, Any]] = {
        "": {"output": config.output, "workers": config.workers},
        "inputs": {key: getattr(config, key) for key in _INPUTS},
    }
    for (table, key), name in _SCALARS.items():
        tables.setdefault(table, {})[key] = getattr(config, name)
    tables["quality"] = asdict(config.quality)
    dedup = asdict(config.dedup)
    layout = dedup.pop("minhash")  # written in the file as ngram, bands, rows and seed
    tables["dedup"] = {**dedup, **layout}
    for group in fields(config.filters):
        tables[f"filters.{group.name}"] = asdict(getattr(config.filters, group.name))
    return tables


def _check_names(path: Path, data: dict[str, Any]) -> None:
    """Refuse a table or key a build file does not have, suggesting the nearest one."""
    tables = [name for name, value in data.items() if isinstance(value, dict)]
    why = unknown_name(tables, set(BUILD_KEYS) - {""}, tables=True)
    why = why or unknown_name(set(data) - set(tables) - set(BUILD_KEYS), BUILD_KEYS[""])
    for table in tables:
        if why is None and table != "filters":
            why = unknown_name(data[table], BUILD_KEYS[table], table)
    if why is not None:
        raise ConfigError(f"{path}: {why}")


def _file_key(message: str) -> str:
    """Name a field as the file does: ``extract_timeout (0)`` -> ``[extract] timeout (0)``."""
    for (table, key), name in _SCALARS.items():
        if message.startswith(f"{name} ("):
            return f"[{table}] {key}{message[len(name) :]}" if table else message
    return message


def _table(path: Path, data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{key}] must be a table, not {value!r}")
    return value


def _string(path: Path, data: dict[str, Any], key: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{path}: {key} ({value!r}) must be a non-empty path string")
    return value


def _paths(path: Path, inputs: dict[str, Any], key: str) -> list[str]:
    value = inputs.get(key, [])
    if not isinstance(value, list) or not all(isinstance(p, str) and p.strip() for p in value):
        raise ConfigError(f"{path}: [inputs] {key} ({value!r}) must be a list of path strings")
    return value


def _quality(path: Path, table: dict[str, Any]) -> QualityConfig:
    try:
        return QualityConfig(**table)
    except ConfigError as exc:
        raise ConfigError(f"{path}: [quality] {exc}") from None


def _dedup(path: Path, table: dict[str, Any]) -> DedupConfig:
    try:
        return dedup_config_from(table)
    except ConfigError as exc:
        raise ConfigError(f"{path}: [dedup] {str(exc).removeprefix('dedup ')}") from None
