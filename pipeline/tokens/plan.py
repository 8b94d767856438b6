"""What a token output is made of: its settings and one unit of work per shard.

A unit's key is the sha256 of everything that decides its tokens: the shard's sha256,
the tokenizer's sha256, the format, the token type, the validation fraction and the
mixture. Two units with the same key hold the same tokens, whichever version they came
from, which is what lets ``--update`` reuse them. The plan (settings, dataset, version
and units) is written to ``plan.json`` in the staging folder; ``--resume`` continues
only the same plan.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.lineage import VersionView
from pipeline.mixture import Mixture
from pipeline.shards import file_sha256
from pipeline.tokens.tokenizer_file import TokenizerFile

__all__ = ["TokenSettings", "Unit", "plan_json", "plan_units", "unit_key"]


@dataclass(frozen=True)
class TokenSettings:
    """How every unit is tokenized and written (picklable, sent to the workers)."""

    fmt: str
    dtype: str
    tokenizer: TokenizerFile
    validation: float = 0.0
    mixture: Mixture = field(default_factory=Mixture)

    @property
    def numpy_dtype(self) -> np.dtype[Any]:
        return np.dtype(self.dtype)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "dtype": self.dtype,
            "tokenizer_sha256": self.tokenizer.sha256,
            "validation": self.validation,
            "mixture": self.mixture.to_json(),
        }


@dataclass(frozen=True)
class Unit:
    """One shard of the version to tokenize: its number, file, digest and key."""

    index: int
    shard: Path
    relative: str
    sha256: str
    key: str

    def to_json(self) -> dict[str, Any]:
        return {"unit": self.index, "shard": self.relative, "shard_sha256": self.sha256}


def unit_key(shard_sha256: str, settings: TokenSettings) -> str:
    """The digest naming a unit's tokens (see the module docstring)."""
    text = json.dumps([shard_sha256, settings.to_json()], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def plan_units(snapshot: VersionView, settings: TokenSettings) -> list[Unit]:
    """A unit per shard of ``snapshot``, in manifest order."""
    digests = _shard_digests(snapshot)
    return [
        Unit(i, path, os.path.relpath(path, snapshot.folder), digest, unit_key(digest, settings))
        for i, (path, digest) in enumerate(zip(snapshot.shards, digests, strict=True))
    ]


def _shard_digests(snapshot: VersionView) -> list[str]:
    entries = snapshot.manifest["shards"]
    if snapshot.format >= 2 and all("sha256" in e for e in entries):
        return [str(e["sha256"]) for e in entries]
    return [file_sha256(path) for path in snapshot.shards]  # format 1: earlier versions' shards


def plan_json(snapshot: VersionView, settings: TokenSettings, units: list[Unit]) -> dict[str, Any]:
    """What ``plan.json`` records: a resumed run must match it exactly."""
    return {
        "dataset": str(snapshot.folder.parent.resolve()),
        "version": snapshot.name,
        "manifest_digest": snapshot.manifest.get("digest"),
        "settings": settings.to_json(),
        "units": [u.to_json() | {"key": u.key} for u in units],
    }
