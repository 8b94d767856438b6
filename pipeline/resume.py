"""Resuming a killed build: reuse the staging folder of the same unfinished version.

A build records its plan (the config that shapes the output, and the inputs in
order) in ``plan.json`` inside the staging folder. ``--resume`` reuses that
folder only when the plan is the same, so finished units (see
:mod:`pipeline.executor`) can be skipped safely; asked to resume a different
plan, or when there is no unfinished build, it stops with a message rather
than quietly starting a new one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pipeline.config import BuildConfig
from pipeline.dataset import DatasetVersion, next_version
from pipeline.errors import ConfigError
from pipeline.flow import Unit

__all__ = ["PLAN", "start_or_resume"]

PLAN = "plan.json"
# Settings that change how a build runs, not what it produces.
_RUNTIME = ("workers", "resume", "output", "build_date", "allow_empty", "executor", "ray_address")


def _plan(config: BuildConfig, units: Sequence[Unit]) -> Any:
    shaping = {k: v for k, v in config.to_json().items() if k not in _RUNTIME}
    inputs = [_input(u) for u in units]
    return json.loads(json.dumps({"config": shaping, "inputs": inputs}, default=str))


def _input(unit: Unit) -> dict[str, Any]:
    entry: dict[str, Any] = {"kind": unit.kind, "path": str(unit.path.resolve())}
    if unit.rows is not None:
        entry["rows"] = unit.rows.to_json()
    return entry


def start_or_resume(config: BuildConfig, units: Sequence[Unit]) -> DatasetVersion:
    """A fresh staging folder, or with ``config.resume`` the unfinished one of this plan."""
    plan = _plan(config, units)
    if config.resume:
        version = DatasetVersion(config.output, next_version(config.output))
        saved = version.staging / PLAN
        if not saved.is_file():
            raise ConfigError(
                f"{config.output}: nothing to resume: no unfinished build of "
                f"{version.name}; run without --resume to start one"
            )
        if json.loads(saved.read_text(encoding="utf-8")) != plan:
            raise ConfigError(
                f"{version.staging}: cannot resume: the config or inputs differ from the "
                "unfinished build; run without --resume to start again"
            )
        return version
    version = DatasetVersion.start(config.output)
    (version.staging / PLAN).write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
    return version
