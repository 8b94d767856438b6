"""Hand memory a process freed back to the system, so an idle worker is small again.

Neither allocator returns it by itself: Arrow's pool (mimalloc or jemalloc) keeps freed
pages for reuse, and glibc's heap keeps what lies below its top. After a task the worker
may idle for the rest of the build while the driver does its largest step, so the peak
of the whole process tree counts what the worker kept.
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable

import pyarrow as pa

__all__ = ["give_back_memory"]


def give_back_memory() -> None:
    """Collect cycles, then release Arrow's and (on glibc) malloc's free pages."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc only, not musl
    except (OSError, AttributeError):
        return None
    return trim
