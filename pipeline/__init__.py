"""Gleaner's offline, deterministic build: WARCs and licensed corpora to Parquet shards."""

from __future__ import annotations

from pipeline.build import BuildResult, build
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
    "build",
    "connect",
    "load_build_config",
    "query",
]
