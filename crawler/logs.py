"""The decision log and the robots log: Parquet parts written as the crawl goes.

Rows are buffered and flushed every ``DECISIONS_FLUSH_ROWS`` rows, and at the
end, as ``part-00000.parquet``, ``part-00001.parquet``, ... each written under
a temporary name and renamed, so every file a reader sees is complete.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.errors import SettingError
from crawler.run_folders import mark_finished
from crawler.state import RunState, open_state
from record.schema import DECISION_SCHEMA, ROBOTS_SCHEMA

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["CrawlLogs", "ParquetLog", "run_logs"]


class ParquetLog:
    """An append-only table of rows with a fixed schema, flushed in parts.

    With a :class:`RunState`, each row is journalled as it is appended, and the
    journal is cleared once its part is on disk, so a killed crawl loses no row.
    """

    def __init__(
        self,
        folder: Path,
        schema: pa.Schema,
        flush_rows: int,
        state: RunState | None = None,
        worker: str | None = None,
    ) -> None:
        if flush_rows < 1:
            raise SettingError("DECISIONS_FLUSH_ROWS", flush_rows, "must be > 0")
        self.folder = folder
        self.schema = schema
        self.flush_rows = flush_rows
        self.state = state
        self.rows: list[dict[str, Any]] = []
        folder.mkdir(parents=True, exist_ok=True)
        # One of a frontier's workers names its parts: no two processes write one name.
        self.stem = f"part-{worker}-" if worker else "part-"
        self.parts = len(list(folder.glob(f"{self.stem}[0-9]*.parquet")))  # a resumed run appends
        self.written = 0
        if state is not None:
            self.rows = state.recover_journal(folder.name, folder)
            self.flush()

    def append(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if self.state is not None:
            self.state.journal(self.folder.name, row)
        if len(self.rows) >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        name = f"{self.stem}{self.parts:05d}.parquet"
        if self.state is not None:
            self.state.begin_flush(self.folder.name, name)
        temp = self.folder / f".{name}.tmp"
        pq.write_table(pa.Table.from_pylist(self.rows, schema=self.schema), temp)
        os.replace(temp, self.folder / name)
        if self.state is not None:
            self.state.forget_journal(self.folder.name)
        self.parts += 1
        self.written += len(self.rows)
        self.rows = []


class CrawlLogs:
    """Extension owning the run's ``decisions/`` and ``robots/`` logs."""

    def __init__(
        self,
        run_dir: Path,
        flush_rows: int,
        stats: Any = None,
        state: RunState | None = None,
        worker: str | None = None,
    ) -> None:
        self.run_dir = run_dir
        self.stats = stats
        self.state = state
        self.worker = worker
        self.decisions, self.robots = run_logs(run_dir, flush_rows, state, worker)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlLogs:
        run_dir = crawler.settings.get("GLEANER_RUN_DIR")
        if not run_dir:
            raise NotConfigured("GLEANER_RUN_DIR is not set")
        worker = crawler.settings.get("FRONTIER_WORKER")
        enabled = crawler.settings.getbool("STATE_ENABLED")
        state = open_state(Path(run_dir), worker) if enabled else None
        flush_rows = crawler.settings.getint("DECISIONS_FLUSH_ROWS")
        logs = cls(Path(run_dir), flush_rows, crawler.stats, state, worker)
        crawler.signals.connect(logs.close, signal=signals.spider_closed)
        return logs

    def close(self, reason: str = "finished") -> None:
        self.decisions.flush()
        self.robots.flush()
        stats = dict(self.stats.get_stats()) if self.stats is not None else {}
        stats["finish_reason"] = reason
        text = json.dumps(stats, indent=2, sort_keys=True, default=str)
        stats_file = f"stats-{self.worker}.json" if self.worker else "stats.json"
        (self.run_dir / stats_file).write_text(text + "\n", encoding="utf-8")
        if self.state is not None:
            if reason == "finished":
                mark_finished(self.run_dir)
            self.state.close()


def run_logs(
    run_dir: Path, flush_rows: int, state: RunState | None, worker: str | None
) -> tuple[ParquetLog, ParquetLog]:
    """The run's decision and robots logs (a worker's own parts, when ``worker``)."""
    decisions = ParquetLog(run_dir / "decisions", DECISION_SCHEMA, flush_rows, state, worker)
    return decisions, ParquetLog(run_dir / "robots", ROBOTS_SCHEMA, flush_rows, state, worker)


def crawl_logs(crawler: Crawler) -> CrawlLogs:
    """The running :class:`CrawlLogs` extension (components log through it)."""
    logs: CrawlLogs = _extension(crawler, CrawlLogs)
    return logs


def _extension(crawler: Crawler, kind: type) -> Any:
    for ext in crawler.extensions.middlewares:
        if isinstance(ext, kind):
            return ext
    raise NotConfigured(f"{kind.__name__} extension is not enabled")
