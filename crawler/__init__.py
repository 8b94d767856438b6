"""Gleaner's Scrapy project: a polite crawler that records every consent decision."""

from __future__ import annotations

from crawler.errors import CrawlerError, JobSpecError
from crawler.jobspec import JobSpec, load_job

__all__ = ["CrawlerError", "JobSpec", "JobSpecError", "load_job"]
