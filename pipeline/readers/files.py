"""Which files are web archives: WARC, ARC and WET, gzipped or plain."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ARCHIVE_SUFFIXES", "warc_files"]

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wet", ".wet.gz")


def warc_files(path: Path) -> list[Path]:
    """The archives at ``path`` (a file, or a folder searched recursively), sorted."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.name.endswith(ARCHIVE_SUFFIXES))
