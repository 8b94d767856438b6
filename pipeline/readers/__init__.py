"""Readers: archived web captures (WARC, ARC, WET) and the robots.txt captures in them."""

from __future__ import annotations

from pipeline.readers.files import warc_files
from pipeline.readers.robots import ArchivedSiteFile, archived_site_files
from pipeline.readers.warc import WarcReader, decode_html

__all__ = [
    "ArchivedSiteFile",
    "WarcReader",
    "archived_site_files",
    "decode_html",
    "warc_files",
]
