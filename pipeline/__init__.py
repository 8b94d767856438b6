"""Gleaner's offline, deterministic build: WARCs and licensed corpora to Parquet shards.

The names below are imported on first use (PEP 562): ``import pipeline.tokens`` or any
other single part, in the CLI or a worker process, does not load the whole build
(trafilatura, duckdb, the filters: about a second). The build itself is
``pipeline.build.build`` (a name here would be shadowed by its module once imported).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.build import BuildResult
    from pipeline.config import BuildConfig, load_build_config
    from pipeline.document import Document
    from pipeline.errors import (
        ConfigError,
        DatasetError,
        InputError,
        ManifestError,
        PipelineError,
    )
    from pipeline.sql import EXAMPLE_QUERIES, connect, query

__all__ = [
    "EXAMPLE_QUERIES",
    "BuildConfig",
    "BuildResult",
    "ConfigError",
    "DatasetError",
    "Document",
    "InputError",
    "ManifestError",
    "PipelineError",
    "connect",
    "load_build_config",
    "query",
]

_HOMES = {
    "BuildResult": "pipeline.build",
    "BuildConfig": "pipeline.config",
    "load_build_config": "pipeline.config",
    "Document": "pipeline.document",
    "ConfigError": "pipeline.errors",
    "DatasetError": "pipeline.errors",
    "InputError": "pipeline.errors",
    "ManifestError": "pipeline.errors",
    "PipelineError": "pipeline.errors",
    "EXAMPLE_QUERIES": "pipeline.sql",
    "connect": "pipeline.sql",
    "query": "pipeline.sql",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its home module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
