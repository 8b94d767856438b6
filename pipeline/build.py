"""``build``: inputs in, a new dataset version out (see :mod:`pipeline.flow`)."""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline._ahead import read_ahead
from pipeline._build_manifest import build_manifest, input_entry
from pipeline._interrupt import interrupt_once
from pipeline.config import BuildConfig
from pipeline.dataset import DatasetVersion, latest_version
from pipeline.dedup import Dedup
from pipeline.dedup.version_index import INDEX_FILE, indexes_of
from pipeline.empty_build import refuse_if_all_left_out, refuse_if_nothing_kept
from pipeline.errors import BuildInterrupted, InputError, ManifestError
from pipeline.executor import local_workers, open_executor, run_units
from pipeline.flow import Unit, UnitResult
from pipeline.licensed import RowSlice, load_manifest, row_slices, validate_corpus
from pipeline.lineage import VersionView, view
from pipeline.newer_word import apply_newer_word
from pipeline.page_refusals import PAGE_REFUSALS_FILE, PageRefusals, gather_page_refusals
from pipeline.parallel import Executor
from pipeline.progress import (
    BuildProgress,
    SilentProgress,
    counted_tables,
    documents_read,
    unit_bytes,
)
from pipeline.readers import warc_files
from pipeline.readers._revisits import REVISITS_FILE, BuildOriginals
from pipeline.resume import start_or_resume
from pipeline.schema import STATS_SCHEMA
from pipeline.shards import ParquetShardWriter, ShardInfo, file_sha256
from pipeline.sites import SITES_FILE, SiteSignals
from pipeline.sites_collect import collect_site_signals
from pipeline.stats import merge_stats
from pipeline.versions.files import index_files
from pipeline.versions.inherit import carry, plan_carry
from pipeline.versions.scan import shard_sources
from pipeline.withdrawn import save_withdrawals

__all__ = ["BuildResult", "build"]

log = logging.getLogger(__name__)

DUPLICATES_FILE = "duplicates.parquet"


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the version folder, its shards and this build's counters.

    A version is a snapshot, so ``shards`` and :attr:`documents` are the whole dataset at
    ``version`` (the parent's shards carried over, then this build's); ``added`` is how many
    documents this build added. When the build found nothing new (``written`` False) no
    version was written and ``version`` is the parent, which still holds the dataset.
    """

    version: Path
    shards: list[ShardInfo]
    stats: dict[str, dict[str, int]]
    excluded: list[dict[str, str]]
    added: int = 0
    written: bool = True
    # The version that first took out what the inputs now refuse (see pipeline.newer_word).
    newer_word: str | None = None

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
    with local_workers(config) as local:  # they start as the inputs are read, then check them
        units, excluded = plan_units(config, local)
        refuse_if_all_left_out(config.allow_empty, units, excluded)
        # Before anything is written: an executor that cannot run leaves nothing behind.
        with open_executor(config, local) as executor:
            zero = stage_zero(config, units, report)
            newer = None if config.resume else _apply_newer_word(config, zero)
            version = start_or_resume(config, units)
            try:
                with interrupt_once():
                    result = _build(config, report, units, excluded, version, zero, executor)
                    return replace(result, newer_word=newer)
            except KeyboardInterrupt:
                finished = len(list((version.staging / "completions").glob("*.json")))
                raise BuildInterrupted(version.staging, finished, len(units)) from None


def _build(
    config: BuildConfig,
    report: BuildProgress,
    units: list[Unit],
    excluded: list[dict[str, str]],
    version: DatasetVersion,
    zero: StageZero,
    executor: Executor,
) -> BuildResult:
    work = version.staging / "work"
    parent = _parent(config)
    sites = zero.sites
    _save_sites(sites, version, zero.originals, zero.refusals)
    save_withdrawals(parent, version.staging)
    results = _stage_one(units, config, work, report, executor)
    refuse_if_nothing_kept(config.allow_empty, version.staging, results)
    dedup = _dedup(config, version, results, parent, executor)
    written = sum(pq.ParquetFile(r.work_file).metadata.num_rows for r in results)
    report.stage("stage 2: dedup and shards", written, "documents")
    reused = plan_carry(parent)
    shards = ParquetShardWriter(
        version.staging / "shards", first=reused.next_number, max_rows=config.max_rows_per_shard
    ).write_tables(counted_tables(read_ahead(dedup.tables()), report))
    report.finish()
    stats = merge_stats([r.stats for r in results] + [{dedup.name: dedup.stats.as_dict()}])
    added = sum(s.rows for s in shards)
    if parent is not None and not added and not config.allow_empty:
        return _nothing_new(version, parent, stats, excluded)
    carried = carry(reused, version.staging)
    index_bytes = dedup.write_index(
        version.staging / INDEX_FILE, index_files(parent) if parent else ()
    )
    _write_stats(version.staging / "stats", stats)
    manifest = build_manifest(config, version, parent, carried, shards, stats)
    manifest["excluded_inputs"] = excluded
    manifest["inputs"] = _input_entries(units, results)
    manifest["dedup"] = {"index": INDEX_FILE, "index_bytes": index_bytes}
    manifest["dedup"]["duplicates"] = DUPLICATES_FILE
    manifest["consent"] = {
        "sites": SITES_FILE,
        "captures": len(sites),
        "authorities": len(sites.authorities()),
    }
    final = version.commit(manifest)
    return BuildResult(final, _infos(carried) + shards, stats, excluded, added)


@dataclass(frozen=True)
class StageZero:
    """What stage 0 found in every input: site-level captures (with those the dataset
    knew), where each revisit's original is, and the page-level refusals."""

    sites: SiteSignals
    found: SiteSignals  # the inputs' own captures
    originals: BuildOriginals
    refusals: PageRefusals


def stage_zero(config: BuildConfig, units: list[Unit], report: BuildProgress) -> StageZero:
    """One pass over every input's records: the newest word known for each page and host."""
    report.stage("stage 0: robots.txt and TDMRep captures of every input")
    parent = _parent(config)
    originals = BuildOriginals()
    third_party = [u.path for u in units if u.kind == "warc"]
    # The dataset's pages: a third-party capture in the inputs may refuse one (our crawls'
    # refusals come from their logs, which need no list of pages).
    if parent is not None and third_party:
        for path, _entry, _first in shard_sources(parent):
            urls = pq.read_table(path, columns=["url"]).column("url").to_pylist()
            originals.note_known_pages(u for u in urls if u)
    found = gather_sites(config, units, None, originals)
    refusals = gather_page_refusals(
        config.crawls,
        originals,
        third_party,
        crawl_agent=config.crawl_agent,
        training_agent=config.training_agent,
    )
    report.finish()
    return StageZero(with_known(found, parent), found, originals, refusals)


def _apply_newer_word(config: BuildConfig, zero: StageZero) -> str | None:
    """Take the dataset's pages that the inputs now refuse out first; the version name."""
    if latest_version(config.output) is None:
        return None
    derived = apply_newer_word(
        config.output,
        zero.found,
        zero.sites,
        zero.refusals,
        crawl_agent=config.crawl_agent,
        training_agent=config.training_agent,
    )
    if derived is None or derived.version is None:
        return None
    log.warning(
        "%s: the build's inputs now refuse %d document(s) of %s: taken out as %s",
        config.output,
        len(derived.removals),
        derived.parent,
        derived.version.name,
    )
    return derived.version.name


def _input_entries(units: list[Unit], results: list[UnitResult]) -> list[dict[str, object]]:
    """One entry per input: the slices of a corpus read as several units are one input."""
    entries = {(u.kind, u.path): input_entry(u, r) for u, r in zip(units, results, strict=True)}
    return list(entries.values())


def _parent(config: BuildConfig) -> VersionView | None:
    """The version this build starts from: the dataset's latest, read as a snapshot."""
    latest = latest_version(config.output)
    return view(latest) if latest is not None else None


def _nothing_new(
    version: DatasetVersion,
    parent: VersionView,
    stats: dict[str, dict[str, int]],
    excluded: list[dict[str, str]],
) -> BuildResult:
    """Every kept document is already in the parent: a new version would be a copy of it.

    The staging folder goes (a resume has nothing to finish) and the parent stays latest.
    """
    shutil.rmtree(version.staging, ignore_errors=True)
    shards = _infos(plan_carry(parent).entries)
    return BuildResult(parent.folder, shards, stats, excluded, 0, written=False)


def _infos(entries: list[dict[str, object]] | tuple[dict[str, object], ...]) -> list[ShardInfo]:
    return [
        ShardInfo(
            str(e["path"]).removeprefix("shards/"),
            int(str(e["rows"])),
            str(e.get("sha256", "")),
            int(str(e.get("bytes", 0))),
        )
        for e in entries
    ]


def _stage_one(
    units: list[Unit], config: BuildConfig, work: Path, report: BuildProgress, executor: Executor
) -> list[UnitResult]:
    """Stage 1, advancing by each finished input's bytes (the ETA's basis)."""
    sizes = {u.index: unit_bytes(u) for u in units}
    where = " on Ray" if config.executor == "ray" else ""
    name = f"stage 1: {len(units)} inputs, {executor.workers} worker(s){where}"
    report.stage(name, sum(sizes.values()), "bytes")
    results = run_units(
        units,
        config,
        work,
        lambda r: report.advance(sizes[r.index], documents_read(r)),
        executor=executor,
    )
    report.finish()
    return results


def _dedup(
    config: BuildConfig,
    version: DatasetVersion,
    results: list[UnitResult],
    parent: VersionView | None,
    executor: Executor,
) -> Dedup:
    """Stage 2's dedup over the work files, against the parent's index (its whole dataset)."""
    settings = config.dedup
    against = index_files(parent) if parent and settings.against_earlier_versions else []
    return Dedup(
        [r.work_file for r in results],
        scratch=version.staging / "work" / "dedup",
        version=version.name,
        config=settings,
        earlier=indexes_of(against, settings.minhash, settings.near),
        workers=config.workers,
        duplicates=version.staging / DUPLICATES_FILE,
        executor=executor,
    )


def gather_sites(
    config: BuildConfig,
    units: list[Unit],
    parent: VersionView | None = None,
    originals: BuildOriginals | None = None,
) -> SiteSignals:
    """Stage 0: every robots.txt and TDMRep capture of the build's inputs, resolved, plus
    every capture the parent version knew (a refresh's newer opt-out governs this build).
    ``originals`` notes every record read on the way, for revisits across archives."""
    crawl_archives = [u.path for u in units if u.kind == "crawl"]
    archives = [u.path for u in units if u.kind == "warc"]
    found = collect_site_signals(config.crawls, archives, crawl_archives, originals)
    return with_known(found, parent)


def with_known(found: SiteSignals, parent: VersionView | None) -> SiteSignals:
    """``found`` plus every capture the parent version knew."""
    if parent is None:
        return found
    # A format-2 version's file holds everything its dataset knew; format-1 files add up.
    files = (
        [parent.folder / SITES_FILE]
        if parent.format >= 2
        else [path for _, path in parent.history(SITES_FILE)]
    )
    known = [c for path in files if path.is_file() for c in SiteSignals.load(path).captures]
    return SiteSignals(dict.fromkeys([*known, *found.captures]))


def _save_sites(
    sites: SiteSignals,
    version: DatasetVersion,
    originals: BuildOriginals | None = None,
    refusals: PageRefusals | None = None,
) -> None:
    """Write the build's captures, revisit map and page refusals; a resumed build whose
    captures, map or refusals changed redoes every unit.

    Finished units were judged with the captures known then: a newer opt-out found since
    (an input that changed) must reach them too, as must an original that moved.
    """
    paths = [version.staging / f for f in (SITES_FILE, REVISITS_FILE, PAGE_REFUSALS_FILE)]
    before = [file_sha256(p) if p.is_file() else None for p in paths]
    sites.save(paths[0])
    (originals or BuildOriginals()).save(paths[1])
    (refusals or PageRefusals()).save(paths[2])
    for path, was in zip(paths, before, strict=True):
        if was is not None and was != file_sha256(path):
            log.warning("%s: changed since the unfinished build: redoing it", path)
            shutil.rmtree(version.staging / "completions", ignore_errors=True)


def plan_units(
    config: BuildConfig, executor: Executor | None = None
) -> tuple[list[Unit], list[dict[str, str]]]:
    """Stage-1 units in dedup priority order: licensed, our crawls, third-party WARCs;
    licensed corpora are checked row by row on ``executor`` (default: this process)."""
    units, excluded = _licensed_units(config, executor)
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


def _licensed_units(
    config: BuildConfig, executor: Executor | None
) -> tuple[list[Unit], list[dict[str, str]]]:
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
            # A large corpus is read as several units, so every core works on it.
            slices = row_slices(corpus)
            validate_corpus(corpus, slices, executor)  # before anything is written
            parts: list[RowSlice | None] = [*slices] or [None]
            for part in parts:
                units.append(Unit(len(units), "licensed", manifest, rows=part))
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
