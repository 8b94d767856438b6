"""Unknown tables and keys in a job file, refused with the nearest known name.

A misspelt limit must not fall back to its default: ``max_page_per_host = 40``
would crawl on toward the default 1000 pages. The pipeline's loaders say the same
with :func:`pipeline._checks.unknown_name`; the two packages may not import each
other, and these few lines are cheaper than a shared leaf package.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from crawler.errors import JobSpecError

__all__ = ["check_names", "unknown_name"]


def check_names(path: Path, data: dict[str, Any], known: Mapping[str, tuple[str, ...]]) -> None:
    """Refuse a table or key not in ``known`` (table -> keys), suggesting the nearest one."""
    stray = [name for name, value in data.items() if not isinstance(value, dict)]
    why = unknown_name(set(data) - set(stray), known, tables=True)
    why = why or next((_stray(name, known) for name in stray if name not in known), None)
    for section, table in data.items():
        if why is None and isinstance(table, dict):
            why = unknown_name(table, known[section], section)
    if why is not None:
        raise JobSpecError(f"{path}: {why}")


def _stray(name: str, known: Mapping[str, tuple[str, ...]]) -> str:
    # A key above every table: most likely one of ours, written before its table header.
    every = {key: f"[{section}] {key}" for section, keys in known.items() for key in keys}
    close = difflib.get_close_matches(name, sorted(every), n=1)
    hint = f"did you mean {every[close[0]]}?" if close else "every key belongs in a table"
    return f"unknown key {name} outside any table; {hint}"


def unknown_name(
    found: Iterable[str], known: Iterable[str], section: str = "", *, tables: bool = False
) -> str | None:
    """``unknown key [scope] max_page_per_host; did you mean max_pages_per_host?``, or None."""
    known = sorted(known)
    for name in sorted(set(found) - set(known)):
        shown = f"[{name}]" if tables else f"[{section}] {name}" if section else name
        close = difflib.get_close_matches(name, known, n=1)
        hint = (f"[{close[0]}]" if tables else close[0]) if close else None
        tail = f"did you mean {hint}?" if hint else f"known: {', '.join(known)}"
        return f"unknown {'table' if tables else 'key'} {shown}; {tail}"
    return None
