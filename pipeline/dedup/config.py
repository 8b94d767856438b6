"""The dedup configuration: which keys make duplicates, and who survives a cluster."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, Final

from pipeline._checks import check_fields, unknown_name
from pipeline.dedup.minhash import PRESETS, MinHashConfig
from pipeline.errors import ConfigError

__all__ = ["CONFIRMATIONS", "DEDUP_KEYS", "PREFERENCES", "DedupConfig", "dedup_config_from"]

#: DuckDB's memory_limit syntax; the value is spliced into a SET statement, so nothing else.
_MEMORY: Final = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?B|B|bytes)", re.IGNORECASE)

#: How LSH candidates are confirmed (see :class:`DedupConfig`).
CONFIRMATIONS: Final = ("exact", "signature", "none")

#: Survivor preferences after "licensed before web", applied in the order given.
#: ``quality`` is the language-identification score until a numeric quality score exists.
PREFERENCES: Final = frozenset({"longer", "shorter", "newer", "older", "quality"})


@dataclass(frozen=True)
class DedupConfig:
    """Exact, URL and MinHash near-duplicate removal, and the survivor priority.

    A cluster's survivor is the first document by: licensed before web, then
    each of ``prefer`` in order (e.g. ``("quality", "longer")``), then input order
    (licensed corpora, our crawls, third-party WARCs, each in file and row order),
    which also makes every tie deterministic.

    LSH candidate pairs are confirmed at Jaccard >= ``jaccard`` (0.8: an article
    with a sentence swapped and a note added scores ~0.89), which removes the
    0.5-0.75 candidates that 14 x 8 bands also produce. ``confirm`` says how:
    ``exact`` (default) computes the Jaccard of the two shingle sets, re-reading
    only documents that are in some candidate pair; ``signature`` estimates it
    from the share of equal MinHash values (+-0.04 with 112 hashes; reads no
    text); ``none`` keeps every candidate, as FineWeb does. Exact-text and URL
    matches need no confirmation.
    """

    near: bool = True
    urls: bool = True
    minhash: MinHashConfig = field(default_factory=MinHashConfig)
    prefer: tuple[str, ...] = ()
    jaccard: float = 0.8
    confirm: str = "exact"
    against_earlier_versions: bool = True
    memory_limit: str = "1GB"

    def __post_init__(self) -> None:
        try:
            check_fields(self)
        except ConfigError as exc:
            raise ConfigError(f"dedup {exc}") from None
        if not 0 < self.jaccard <= 1:
            raise ConfigError(f"dedup jaccard ({self.jaccard!r}) must be in (0, 1]")
        if self.confirm not in CONFIRMATIONS:
            raise ConfigError(f"dedup confirm ({self.confirm!r}) must be one of {CONFIRMATIONS}")
        unknown = sorted(set(self.prefer) - PREFERENCES)
        if unknown:
            raise ConfigError(
                f"dedup prefer ({', '.join(unknown)!s}) must be among {sorted(PREFERENCES)}"
            )
        if not _MEMORY.fullmatch(self.memory_limit):
            raise ConfigError(
                f"dedup memory_limit ({self.memory_limit!r}) must be a size like '512MB' or '4GB'"
            )


#: The MinHash layout keys of a ``[dedup]`` table; ``preset`` fills the ones left out.
_LAYOUT: Final = ("ngram", "bands", "rows", "seed")
#: Every key a ``[dedup]`` table may hold.
DEDUP_KEYS: Final = (
    *(f.name for f in fields(DedupConfig) if f.name != "minhash"),
    "preset",
    *_LAYOUT,
)


def dedup_config_from(table: dict[str, Any]) -> DedupConfig:
    """A :class:`DedupConfig` from a TOML ``[dedup]`` table (``preset`` picks a MinHash layout)."""
    why = unknown_name(table, DEDUP_KEYS, "dedup")
    if why:
        raise ConfigError(why)
    values: dict[str, Any] = dict(table)
    preset = values.pop("preset", "fineweb")
    if preset not in PRESETS:
        raise ConfigError(f"dedup preset ({preset!r}) must be one of {sorted(PRESETS)}")
    layout: dict[str, int] = {k: values.pop(k) for k in _LAYOUT if k in values}
    merged: dict[str, int] = {**_as_dict(PRESETS[preset]), **layout}
    minhash = MinHashConfig(**merged)
    if isinstance(values.get("prefer"), list):
        values["prefer"] = tuple(values["prefer"])
    return DedupConfig(minhash=minhash, **values)


def _as_dict(config: MinHashConfig) -> dict[str, int]:
    return {"ngram": config.ngram, "bands": config.bands, "rows": config.rows, "seed": config.seed}
