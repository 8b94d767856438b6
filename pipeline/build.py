"""``build``: inputs in, a new dataset version out (see :mod:`pipeline.flow`)."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline._interrupt import interrupt_once
from pipeline.config import BuildConfig
from pipeline.dataset import DatasetVersion
from pipeline.dedup import Dedup
from pipeline.dedup.version_index import INDEX_FILE, earlier_indexes
from pipeline.empty_build import refuse_if_all_left_out, refuse_if_nothing_kept
from pipeline.errors import BuildInterrupted, InputError, ManifestError
from pipeline.executor import run_units
from pipeline.fingerprint import FileKey
from pipeline.flow import Unit, UnitResult
from pipeline.licensed import load_manifest, validate_corpus
from pipeline.progress import (
    BuildProgress,
    SilentProgress,
    counted,
    documents_read,
    unit_bytes,
)
from pipeline.readers import warc_files
from pipeline.resume import start_or_resume
from pipeline.schema import STATS_SCHEMA
from pipeline.shards import ParquetShardWriter, ShardInfo, file_sha256
from pipeline.sites import SITES_FILE, SiteSignals
from pipeline.sites_collect import collect_site_signals
from pipeline.stats import merge_stats

__all__ = ["BuildResult", "build"]

log = logging.getLogger(__name__)

DUPLICATES_FILE = "duplicates.parquet"


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the version folder, its shards and its counters."""

    version: Path
    shards: list[ShardInfo]
    stats: dict[str, dict[str, int]]
    excluded: list[dict[str, str]]

    @property
    def documents(self) -> int:
        return sum(s.rows for s in self.shards)


def build(config: BuildConfig, progress: BuildProgress | None = None) -> BuildResult:
    """Run the whole build and commit a new immutable dataset version.

    ``progress`` hears each stage begin, advance and finish (see :mod:`pipeline.progress`).
    Raises :class:`BuildInterrupted` on Ctrl-C, with nothing committed and the finished
    inputs kept for ``--resume``.
    """
    report = progress or SilentProgress()
    units, excluded = plan_units(config)
    refuse_if_all_left_out(config.allow_empty, units, excluded)
    version = start_or_resume(config, units)
    try:
        with interrupt_once():
            return _build(config, report, units, excluded, version)
    except KeyboardInterrupt:
        finished = len(list((version.staging / "completions").glob("*.json")))
        raise BuildInterrupted(version.staging, finished, len(units)) from None


def _build(
    config: BuildConfig,
    report: BuildProgress,
    units: list[Unit],
    excluded: list[dict[str, str]],
    version: DatasetVersion,
) -> BuildResult:
    work = version.staging / "work"
    report.stage("stage 0: robots.txt and TDMRep captures of every input")
    sites = gather_sites(config, units)
    _save_sites(sites, version)
    report.finish()
    results = _stage_one(units, config, work, report)
    refuse_if_nothing_kept(config.allow_empty, version.staging, results)
    dedup = _dedup(config, version, results)
    written = sum(pq.ParquetFile(r.work_file).metadata.num_rows for r in results)
    report.stage("stage 2: dedup and shards", written, "documents")
    shards = ParquetShardWriter(
        version.staging / "shards", max_rows=config.max_rows_per_shard
    ).write(counted(dedup(), report))
    report.finish()
    index_bytes = dedup.write_index(version.staging / INDEX_FILE)
    stats = merge_stats([r.stats for r in results] + [{dedup.name: dedup.stats.as_dict()}])
    _write_stats(version.staging / "stats", stats)
    manifest = _manifest(config, version, units, excluded, shards, stats)
    manifest["inputs"] = [_input(u, r) for u, r in zip(units, results, strict=True)]
    manifest["dedup"] = {"index": INDEX_FILE, "index_bytes": index_bytes}
    manifest["dedup"]["duplicates"] = DUPLICATES_FILE
    manifest["consent"] = {
        "sites": SITES_FILE,
        "captures": len(sites),
        "authorities": len(sites.authorities()),
    }
    final = version.commit(manifest)
    return BuildResult(final, shards, stats, excluded)


def _stage_one(
    units: list[Unit], config: BuildConfig, work: Path, report: BuildProgress
) -> list[UnitResult]:
    """Stage 1, advancing by each finished input's bytes (the ETA's basis)."""
    sizes = {u.index: unit_bytes(u) for u in units}
    name = f"stage 1: {len(units)} inputs, {config.workers} worker(s)"
    report.stage(name, sum(sizes.values()), "bytes")
    results = run_units(
        units, config, work, lambda r: report.advance(sizes[r.index], documents_read(r))
    )
    report.finish()
    return results


def _dedup(config: BuildConfig, version: DatasetVersion, results: list[UnitResult]) -> Dedup:
    """Stage 2's dedup over the work files, against every earlier version's index."""
    settings = config.dedup
    earlier = earlier_indexes(config.output, version.name, settings.minhash, settings.near)
    return Dedup(
        [r.work_file for r in results],
        scratch=version.staging / "work" / "dedup",
        version=version.name,
        config=settings,
        earlier=earlier if settings.against_earlier_versions else [],
        workers=config.workers,
        duplicates=version.staging / DUPLICATES_FILE,
    )


def gather_sites(config: BuildConfig, units: list[Unit]) -> SiteSignals:
    """Stage 0: every robots.txt and TDMRep capture of the build's inputs, resolved."""
    crawl_archives = [u.path for u in units if u.kind == "crawl"]
    archives = [u.path for u in units if u.kind == "warc"]
    return collect_site_signals(config.crawls, archives, crawl_archives)


def _save_sites(sites: SiteSignals, version: DatasetVersion) -> None:
    """Write the build's captures; a resumed build whose captures changed redoes every unit.

    Finished units were judged with the captures known then: a newer opt-out found since
    (an input that changed) must reach them too.
    """
    path = version.staging / SITES_FILE
    before = file_sha256(path) if path.is_file() else None
    sites.save(path)
    if before is not None and before != file_sha256(path):
        log.warning("%s: site-level captures changed since the unfinished build: redoing it", path)
        shutil.rmtree(version.staging / "completions", ignore_errors=True)


def plan_units(config: BuildConfig) -> tuple[list[Unit], list[dict[str, str]]]:
    """Stage-1 units in dedup priority order: licensed, our crawls, third-party WARCs."""
    units, excluded = _licensed_units(config)
    base = _web_base(config)
    for run in config.crawls:
        _warn_if_unfinished(run)
        decisions = tuple(sorted((run / "decisions").glob("*.parquet")))
        for warc in _files(run / "warc", "crawl run"):
            units.append(Unit(len(units), "crawl", warc, decisions, _name(warc, base)))
    for path in config.warcs:
        for warc in _files(path, "WARC input"):
            units.append(Unit(len(units), "warc", warc, (), _name(warc, base)))
    return units, excluded


def _warn_if_unfinished(run: Path) -> None:
    """A crawl run with state but no ``state/finished`` marker was interrupted or killed.

    The marker is the crawler's (``crawler.run_folders.mark_finished``); the build may
    not import the crawler, so it reads the file. Its pages are usable, but it is not
    the whole crawl the job asked for.
    """
    if (run / "state").is_dir() and not (run / "state" / "finished").exists():
        log.warning(
            "%s: crawl run did not finish (interrupted or killed): building from the pages "
            "it fetched; finish it with `gleaner crawl JOB --resume` and build again",
            run,
        )


def _licensed_units(config: BuildConfig) -> tuple[list[Unit], list[dict[str, str]]]:
    units: list[Unit] = []
    excluded: list[dict[str, str]] = []
    names: dict[str, Path] = {}
    for manifest in config.licensed:
        corpus = load_manifest(manifest)
        if corpus.name in names:  # a document's id is made from its corpus name and row id
            raise ManifestError(
                f"{manifest}: corpus name {corpus.name!r} is already used by {names[corpus.name]}"
            )
        names[corpus.name] = manifest
        reason = corpus.exclusion_reason(config.build_date)
        if reason:
            log.warning("%s: corpus left out of the build: %s", manifest, reason)
            excluded.append({"input": str(manifest), "reason": reason})
        else:
            validate_corpus(corpus)  # before anything is written
            units.append(Unit(len(units), "licensed", manifest))
    return units, excluded


def _web_base(config: BuildConfig) -> Path:
    """The deepest folder holding every crawl run folder and --warc path of the build.

    Archives are named relative to it, so the name keeps the run folder or the
    path given (``runA/warc/x.warc.gz``, ``cc/2024/x.arc.gz``) and two inputs
    with the same file name never share one.
    """
    roots = [p.resolve().parent for p in (*config.crawls, *config.warcs)]
    return Path(os.path.commonpath(roots)) if roots else Path("/")


def _name(archive: Path, base: Path) -> str:
    return archive.resolve().relative_to(base).as_posix()


def _files(path: Path, what: str) -> list[Path]:
    if not path.exists():
        raise InputError(f"{path}: {what} not found")
    found = warc_files(path)
    if not found:
        raise InputError(f"{path}: {what} holds no WARC, ARC or WET files")
    return found


def _write_stats(folder: Path, stats: dict[str, dict[str, int]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {"step": step, "counter": counter, "value": value}
        for step, counts in stats.items()
        for counter, value in counts.items()
    ]
    pq.write_table(pa.Table.from_pylist(rows, schema=STATS_SCHEMA), folder / "stats.parquet")


def _manifest(
    config: BuildConfig,
    version: DatasetVersion,
    units: list[Unit],
    excluded: list[dict[str, str]],
    shards: list[ShardInfo],
    stats: dict[str, dict[str, int]],
) -> dict[str, Any]:
    return {
        "version": version.name,
        "parent": version.parent,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": config.to_json(),
        "excluded_inputs": excluded,
        "crawl_runs": [str(run.resolve()) for run in config.crawls],
        "shards": [
            {"path": f"shards/{s.path}", "rows": s.rows, "sha256": s.sha256, "bytes": s.bytes}
            for s in shards
        ],
        "documents": sum(s.rows for s in shards),
        "stats": stats,
    }


def _input(unit: Unit, result: UnitResult) -> dict[str, Any]:
    """An input with the checksum of every file its documents came from, as read."""
    keys = result.inputs or (FileKey.of(unit.path),)
    entry: dict[str, Any] = {
        "kind": unit.kind,
        "path": str(unit.path.resolve()),
        "sha256": keys[0].sha256,
        "bytes": keys[0].bytes,
        "files": [{"path": k.path, "bytes": k.bytes, "sha256": k.sha256} for k in keys],
    }
    if unit.warc_file:
        entry["warc_file"] = unit.warc_file
    return entry
