"""Readers: archived web captures (WARC, ARC, WET) and the robots.txt captures in them."""

from __future__ import annotations

from pipeline.readers.files import warc_files
from pipeline.readers.robots import RobotsCapture, authority, robots_captures
from pipeline.readers.warc import WarcReader, decode_html

__all__ = [
    "RobotsCapture",
    "WarcReader",
    "authority",
    "decode_html",
    "robots_captures",
    "warc_files",
]
