"""Errors the pipeline raises.

    PipelineError                 base of everything below
    ├── ConfigError               a build config or flag is invalid (stops the run at once)
    ├── ManifestError             a licensed-corpus manifest is missing, malformed or expired
    ├── InputError                an input file or folder cannot be read at all
    ├── DatasetError              a dataset folder or version is missing or inconsistent
    │   └── StagingLost           a worker's build died or another build took its folder
    ├── BuildInterrupted          Ctrl-C stopped a build; what it finished is kept for --resume
    ├── EmptyBuild                every input was left out or nothing was kept (no --allow-empty)
    ├── ExecutorUnavailable       the build's executor cannot run (no extra, no cluster)
    └── QueryRefused              ``gleaner sql`` refused a statement that is not a read

Per-record problems (a broken WARC record, an undecodable page) are never
raised: the step counts them under a drop reason and moves on.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "BuildInterrupted",
    "ConfigError",
    "DatasetError",
    "EmptyBuild",
    "ExecutorUnavailable",
    "InputError",
    "ManifestError",
    "PipelineError",
    "QueryRefused",
    "StagingLost",
]


class PipelineError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class ConfigError(PipelineError):
    """Raised when a build config file or option has an invalid value."""


class ManifestError(PipelineError):
    """Raised when a licensed-corpus manifest or one of its files is unusable."""


class InputError(PipelineError):
    """Raised when an input path does not exist or holds nothing readable."""


class DatasetError(PipelineError):
    """Raised when a dataset folder, version or manifest is missing or inconsistent."""


class EmptyBuild(PipelineError):
    """Raised, and no version written, when a build would hold no document: every input
    was left out (an expired licence) or nothing was kept (nothing consented). The
    config's ``allow_empty`` writes the empty version instead."""


class ExecutorUnavailable(PipelineError):
    """Raised before any work when the build's executor cannot run: ``ray`` without the
    ``cluster`` extra installed, or a Ray cluster address that does not answer."""


class QueryRefused(PipelineError):
    """Raised when the read-only SQL sandbox refuses a statement (COPY, ATTACH, INSTALL, ...)."""


class StagingLost(DatasetError):
    """Raised in a build worker, before it writes, when the build that owns its staging
    folder has died or a resumed build has claimed the folder."""


class BuildInterrupted(PipelineError):
    """Raised by ``build`` when Ctrl-C stopped it: its workers are stopped, no version was
    committed, and ``staging`` keeps the ``finished`` of ``total`` inputs for ``--resume``."""

    def __init__(self, staging: Path, finished: int, total: int) -> None:
        super().__init__(f"interrupted: {finished} of {total} inputs finished")
        self.staging, self.finished, self.total = staging, finished, total
