"""The build, one screen: which step drops a document, in which order.

    stage 0, whole build:           gather every robots.txt and TDMRep capture of every input
                                    (the newest signal known for a host governs all its pages)
    stage 1, per input (parallel):  read → consent gate → extract (sandboxed) → language
                                    → repetition → quality (Gopher) → C4 → FineWeb
                                    → PII redaction → work file
    stage 2, whole build:           dedup: exact, same URL, MinHash near-duplicates, against
                                    earlier versions too (licensed first) → shards → manifest

Stage 1 turns each input (one WARC file, or one licensed corpus) into a work
file of documents that may be trained on and pass the quality rules, and an
``exclusions/`` file naming every document a step dropped and why. Stage 2
deduplicates across all work files and writes the dataset version.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.config import BuildConfig
from pipeline.consent import ConsentGate, load_decisions
from pipeline.dedup.sketch import Sketcher
from pipeline.document import Document
from pipeline.extract import Extractor
from pipeline.filters import filter_steps
from pipeline.licensed import LicensedReader, RowSlice, load_manifest
from pipeline.page_refusals import PAGE_REFUSALS_FILE, PageRefusals
from pipeline.readers import WarcReader
from pipeline.readers._revisits import REVISITS_FILE, load_revisit_targets
from pipeline.shards import ParquetShardWriter
from pipeline.sites import SITES_FILE, SiteSignals
from pipeline.step import Step
from pipeline.text import analyse
from pipeline.urls import registered_domain
from pipeline.withdrawn import Withdrawals, Withdrawn, load_withdrawals
from record.schema import EXCLUSION_SCHEMA

if TYPE_CHECKING:
    from pipeline.fingerprint import FileKey

__all__ = ["WORK_COMPRESSION", "Unit", "UnitResult", "run_unit"]

#: Work files live for one build and are read back once by stage 2: LZ4 writes and reads
#: ~1.5x faster than the shards' zstd, for ~1.6x the bytes.
WORK_COMPRESSION = "lz4"


@dataclass(frozen=True, slots=True)
class Unit:
    """One input of stage 1: a WARC file (with its crawl's decision files) or a corpus."""

    index: int
    kind: str  # "crawl", "warc" or "licensed"
    path: Path
    decision_files: tuple[Path, ...] = ()
    # The archive as documents name it (``warc_file``): unique among the build's inputs.
    warc_file: str = ""
    # A slice of a large licensed corpus, read as a unit of its own; None: all of it.
    rows: RowSlice | None = None

    @property
    def work_name(self) -> str:
        return f"{self.index:05d}"


@dataclass(frozen=True, slots=True)
class UnitResult:
    index: int
    work_file: Path
    stats: dict[str, dict[str, int]]
    inputs: tuple[FileKey, ...] = ()  # every file read, as it was read


def stage_one_steps(
    unit: Unit,
    config: BuildConfig,
    sites: SiteSignals | None = None,
    withdrawn: Withdrawals | None = None,
    originals: Mapping[int, tuple[Path, int]] | None = None,
    refusals: PageRefusals | None = None,
) -> list[Step]:
    """The ordered steps that turn one input into consented, clean documents.

    ``sites`` are the robots.txt and TDMRep captures of the whole build (every input),
    which the consent gate applies to every web page; ``withdrawn`` what an earlier
    version removed (ids, standing requests), kept out for good; ``originals`` where the
    build found the original capture of each of the archive's revisits; ``refusals``
    the build's page-level refusals (a newer one reaches older captures of the page).
    """
    filters = filter_steps(config.quality, config.filters)
    if withdrawn:
        filters = [Withdrawn(withdrawn), *filters]
    if unit.kind == "licensed":
        return [LicensedReader(load_manifest(unit.path), unit.rows), *filters]
    decisions = load_decisions(unit.decision_files) if unit.kind == "crawl" else None
    return [
        WarcReader(unit.path, name=unit.warc_file or None, originals=originals),
        ConsentGate(
            decisions,
            crawl_agent=config.crawl_agent,
            training_agent=config.training_agent,
            third_party_training=config.third_party_training,
            sites=sites,
            page_refusals=refusals,
        ),
        Extractor(timeout=config.extract_timeout),
        *filters,
    ]


def run_unit(
    unit: Unit, config: BuildConfig, work_dir: Path, check: Callable[[], None] | None = None
) -> UnitResult:
    """Stage 1 for one input: run its steps and write the survivors to a work file.

    ``check`` is called once every document is read, before any file is put in
    place; it raises to stop a worker whose build is gone from writing.
    """
    sites_file = work_dir.parent / SITES_FILE  # gathered once per build, before stage 1
    sites = SiteSignals.load(sites_file) if sites_file.is_file() else None
    originals = load_revisit_targets(work_dir.parent / REVISITS_FILE, unit.path)
    refusals = PageRefusals.load(work_dir.parent / PAGE_REFUSALS_FILE)
    steps = stage_one_steps(unit, config, sites, load_withdrawals(work_dir), originals, refusals)
    for step in steps:
        step.exclusions = []
    clocks = [0.0] * len(steps)
    docs: Iterator[Document] = _timed(steps[0](iter(())), clocks, 0)
    for i, step in enumerate(steps[1:], start=1):
        docs = _timed(step(docs), clocks, i)
    writer = ParquetShardWriter(
        work_dir,
        prefix=unit.work_name,
        max_rows=10**9,
        compression=WORK_COMPRESSION,
        checksum=False,
    )
    sketcher = Sketcher(config.dedup.minhash) if config.dedup.near else None
    writer.write(_checked(_keyed(docs, sketcher), check))
    work_file = work_dir / writer.shards[0].path
    if sketcher is not None:
        sketcher.save(work_file)
    for i, step in enumerate(steps):
        # A step's clock includes pulling from the step before it; subtract that.
        own = clocks[i] - (clocks[i - 1] if i else 0.0)
        step.stats.add("time_ms", round(own * 1000))
    write_exclusions(work_dir.parent / "exclusions" / f"{unit.work_name}.parquet", steps)
    stats = {step.name: step.stats.as_dict() for step in steps}
    return UnitResult(unit.index, work_file, stats)


def write_exclusions(path: Path, steps: list[Step]) -> None:
    """Every document the steps dropped, with step and reason, written atomically."""
    rows = [row for step in steps for row in step.exclusions or []]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(pa.Table.from_pylist(rows, schema=EXCLUSION_SCHEMA), tmp, compression="zstd")
    os.replace(tmp, path)


def _timed(docs: Iterator[Document], clocks: list[float], index: int) -> Iterator[Document]:
    """Pass documents through, adding the time spent producing each to ``clocks[index]``."""
    while True:
        started = time.perf_counter()
        doc = next(docs, None)
        clocks[index] += time.perf_counter() - started
        if doc is None:
            return
        yield doc


def _checked(docs: Iterator[Document], check: Callable[[], None] | None) -> Iterator[Document]:
    yield from docs
    if check is not None:
        check()


def _keyed(docs: Iterator[Document], sketcher: Sketcher | None) -> Iterator[Document]:
    """Attach what stage 2 needs, each from one pass over the text: the dedup key, the
    word count, the MinHash signature (to ``sketcher``) and the registered domain."""
    for doc in docs:
        stats = analyse(doc.text)
        doc.metadata["text_sha256"] = stats.sha256
        doc.metadata["words"] = stats.word_count
        if sketcher is not None:
            sketcher.add(stats)
        if doc.url:
            doc.metadata["domain"] = registered_domain(urlsplit(doc.url).hostname or "")
        yield doc
