"""Gleaner's spiders."""

from __future__ import annotations

from crawler.spiders.seed import SeedSpider

__all__ = ["SeedSpider"]
