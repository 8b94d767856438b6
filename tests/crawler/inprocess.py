"""A crawler built in-process, Scrapy's own way: ``get_crawler`` with the project's settings.

Components are made ``from_crawler`` and fed real ``Request``/``Response`` objects, so a
test of what one component writes needs no subprocess crawl. The run's extensions (the
logs, the WARC archive) are built by ``get_crawler`` as in a crawl.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

import policies
from crawler import settings as project
from crawler.logs import crawl_logs
from crawler.robots import RobotsEntry

PROJECT = {name: getattr(project, name) for name in dir(project) if name.isupper()}


def project_crawler(run_dir: Path, **overrides: Any) -> Crawler:
    """A crawler with the project's settings, a run folder, and ``overrides``."""
    settings = {**PROJECT, "GLEANER_RUN_DIR": str(run_dir), "PROGRESS_INTERVAL": 0, **overrides}
    return get_crawler(Spider, settings)


def robots_entry(body: bytes, status: int = 200) -> RobotsEntry:
    robots = policies.RobotsTxt.parse(body, status=status)
    return RobotsEntry(robots=robots, fetched_at=datetime.now(UTC), expires=0.0)


def decision_rows(crawler: Crawler) -> list[dict[str, Any]]:
    """The decision log as written: flushed to Parquet, read back."""
    log = crawl_logs(crawler).decisions
    log.flush()
    parts = sorted(log.folder.glob("part-*.parquet"))
    return [row for part in parts for row in pq.read_table(part).to_pylist()]
