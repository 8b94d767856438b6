"""Flat token streams: a ``.bin`` is the units' token parts one after another, no header,
the layout nanoGPT's ``prepare.py`` writes with ``np.memmap`` and Megatron-LM's ``.bin``."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

__all__ = ["concatenate"]

_CHUNK = 16 << 20


def concatenate(parts: Iterable[Path], out: Path) -> int:
    """Write the ``parts`` one after another to ``out``; return the bytes written."""
    with out.open("wb") as sink:
        for part in parts:
            with part.open("rb") as source:
                shutil.copyfileobj(source, sink, _CHUNK)
        return sink.tell()
