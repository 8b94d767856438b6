"""Gleaner's Scrapy project: a polite crawler that records every consent decision."""

from __future__ import annotations

from crawler.errors import CrawlerError, CrawlFailed, JobSpecError, SettingError
from crawler.jobspec import JobSpec, load_job

__all__ = [
    "CrawlFailed",
    "CrawlerError",
    "JobSpec",
    "JobSpecError",
    "SettingError",
    "load_job",
]
