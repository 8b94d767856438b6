"""Token shards from a dataset version: ``gleaner tokenize``'s library entry.

    version + tokenizer -> plan (a unit per shard, keyed) -> staging folder (plan.json)
      -> each unit tokenized, or reused from the old output (--update) -> parts + markers
      -> parts assembled into the format's files and the index -> tokens.json -> rename

See docs/tokens.md for the output's layout.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.dataset import resolve_version
from pipeline.errors import ConfigError
from pipeline.lineage import VersionView, view
from pipeline.mixture import Mixture
from pipeline.progress import BuildProgress
from pipeline.tokens.formats import assemble, write_meta
from pipeline.tokens.manifest import (
    MANIFEST_FILE,
    make_manifest,
    read_token_manifest,
    write_manifest,
)
from pipeline.tokens.plan import TokenSettings, plan_json, plan_units
from pipeline.tokens.run import commit, drop_scratch, finish_commit, open_staging, run_units
from pipeline.tokens.split import SPLITS, check_fraction
from pipeline.tokens.tokenizer_file import dtype_for, load_tokenizer
from pipeline.tokens.update import TOKENIZER_COPY, reusers, update_settings

__all__ = ["tokenize_version"]


def tokenize_version(
    dataset: Path,
    *,
    version: str | None,
    tokenizer: Path | None,
    fmt: str,
    out: Path,
    validation: float = 0.0,
    mixture: Mixture = Mixture(),  # noqa: B008 - frozen, never mutated
    workers: int = 1,
    update: bool = False,
    resume: bool = False,
    progress: BuildProgress | None = None,
) -> dict[str, Any]:
    """Write the token output ``out`` of ``dataset`` at ``version`` (its latest when None);
    returns its manifest. With ``update`` ``out`` must be a token output: its settings are
    kept and its unchanged units reused. ``resume`` continues an interrupted run."""
    started = time.monotonic()
    if workers < 1:
        raise ConfigError(f"workers ({workers!r}) must be >= 1")
    snapshot = view(resolve_version(dataset, version))
    finish_commit(out, MANIFEST_FILE)  # a run killed while it put its output in place
    previous = read_token_manifest(out) if update else None
    if previous is not None:
        settings = update_settings(out, previous, tokenizer, fmt, validation, mixture)
    else:
        settings = _new_settings(out, tokenizer, fmt, validation, mixture)
    _check_mixture(snapshot, settings.mixture)
    units = plan_units(snapshot, settings)
    staging = open_staging(out, plan_json(snapshot, settings, units), resume)
    reuse = reusers(out, previous, units, settings) if previous is not None else {}
    markers = run_units(staging, units, settings, reuse=reuse, workers=workers, progress=progress)
    shutil.copyfile(settings.tokenizer.path, staging / TOKENIZER_COPY)
    starts = assemble(staging, units, settings)
    if settings.fmt == "nanogpt":
        totals = {s: sum(m["splits"][s]["tokens"] for m in markers) for s in SPLITS}
        write_meta(staging, settings.dtype, settings.tokenizer, totals)
    drop_scratch(staging)
    manifest = make_manifest(snapshot, settings, units, markers, starts, staging)
    if previous is not None:
        reused = sum(1 for m in markers if m["origin"] == "reused")
        manifest["updated_from"] = {
            "version": previous["version"],
            "reused_units": reused,
            "tokenized_units": len(markers) - reused,
        }
    manifest["seconds"] = round(time.monotonic() - started, 3)
    write_manifest(staging, manifest)
    commit(staging, out)
    return manifest


def _new_settings(
    out: Path, tokenizer: Path | None, fmt: str, validation: float, mixture: Mixture
) -> TokenSettings:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(
            f"{out}: exists and is not empty; --update makes it again for a newer version"
        )
    if tokenizer is None:
        raise ConfigError("a tokenizer file is required (--tokenizer)")
    checked = load_tokenizer(tokenizer)
    dtype = dtype_for(fmt, checked)
    return TokenSettings(fmt, dtype.name, checked, check_fraction(validation), mixture)


def _check_mixture(snapshot: VersionView, mixture: Mixture) -> None:
    """A weight naming a source or language the version lacks is refused (a typo)."""
    if not mixture.sources and not mixture.languages:
        return
    sources: set[str] = set()
    languages: set[str | None] = set()
    for shard in snapshot.shards:
        table = pq.read_table(shard, columns=["source", "language"])
        sources.update(table["source"].unique().to_pylist())
        languages.update(table["language"].unique().to_pylist())
    mixture.check_known(sources, languages)
