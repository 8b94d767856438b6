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

from pipeline.schema import DECISION_SCHEMA, ROBOTS_SCHEMA

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["CrawlLogs", "ParquetLog"]


class ParquetLog:
    """An append-only table of rows with a fixed schema, flushed in parts."""

    def __init__(self, folder: Path, schema: pa.Schema, flush_rows: int) -> None:
        if flush_rows < 1:
            raise ValueError(f"DECISIONS_FLUSH_ROWS ({flush_rows!r}) must be > 0")
        self.folder = folder
        self.schema = schema
        self.flush_rows = flush_rows
        self.rows: list[dict[str, Any]] = []
        self.parts = 0
        self.written = 0
        folder.mkdir(parents=True, exist_ok=True)

    def append(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.flush_rows:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        name = f"part-{self.parts:05d}.parquet"
        temp = self.folder / f".{name}.tmp"
        pq.write_table(pa.Table.from_pylist(self.rows, schema=self.schema), temp)
        os.replace(temp, self.folder / name)
        self.parts += 1
        self.written += len(self.rows)
        self.rows = []


class CrawlLogs:
    """Extension owning the run's ``decisions/`` and ``robots/`` logs."""

    def __init__(self, run_dir: Path, flush_rows: int, stats: Any = None) -> None:
        self.run_dir = run_dir
        self.stats = stats
        self.decisions = ParquetLog(run_dir / "decisions", DECISION_SCHEMA, flush_rows)
        self.robots = ParquetLog(run_dir / "robots", ROBOTS_SCHEMA, flush_rows)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlLogs:
        run_dir = crawler.settings.get("GLEANER_RUN_DIR")
        if not run_dir:
            raise NotConfigured("GLEANER_RUN_DIR is not set")
        logs = cls(Path(run_dir), crawler.settings.getint("DECISIONS_FLUSH_ROWS"), crawler.stats)
        crawler.signals.connect(logs.close, signal=signals.spider_closed)
        return logs

    def close(self, reason: str = "finished") -> None:
        self.decisions.flush()
        self.robots.flush()
        stats = dict(self.stats.get_stats()) if self.stats is not None else {}
        stats["finish_reason"] = reason
        text = json.dumps(stats, indent=2, sort_keys=True, default=str)
        (self.run_dir / "stats.json").write_text(text + "\n", encoding="utf-8")


def crawl_logs(crawler: Crawler) -> CrawlLogs:
    """The running :class:`CrawlLogs` extension (components log through it)."""
    logs: CrawlLogs = _extension(crawler, CrawlLogs)
    return logs


def _extension(crawler: Crawler, kind: type) -> Any:
    for ext in crawler.extensions.middlewares:
        if isinstance(ext, kind):
            return ext
    raise NotConfigured(f"{kind.__name__} extension is not enabled")
