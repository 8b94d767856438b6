"""Child processes that end with their parent: build workers and sandbox workers.

A build killed with ``kill -9`` runs no cleanup, so its worker processes
(hundreds of MB each) and their extraction sandboxes would live on, finish
units into a staging folder nobody owns and then wait forever for orders.
:func:`bind_to_parent` is run first thing in every such child: on Linux the
kernel sends SIGKILL when the parent dies (``PR_SET_PDEATHSIG``); everywhere
a daemon thread polls ``os.getppid()`` and exits the process when it changes.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

__all__ = ["ParentLink", "bind_to_parent", "bound_pool", "parent_link"]

_PR_SET_PDEATHSIG = 1
_POLL_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class ParentLink:
    """What a child needs to know about the process that starts it (picklable)."""

    pid: int
    # PR_SET_PDEATHSIG fires when the *thread* that started the child ends, so
    # it is only safe when that thread lives as long as the process.
    main_thread: bool


def parent_link() -> ParentLink:
    """The link a child started from the calling thread should bind to."""
    return ParentLink(os.getpid(), threading.current_thread() is threading.main_thread())


def bound_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes that die with this one.

    spawn, not fork: the caller may run threads (the demo's web server).
    """
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=bind_to_parent,
        initargs=(parent_link(),),
    )


def bind_to_parent(link: ParentLink) -> None:
    """Make this process exit when ``link.pid`` dies (run in the child, before any work)."""
    if link.main_thread and sys.platform == "linux":
        _death_signal()
    if os.getppid() != link.pid:  # the parent died before we were bound to it
        os._exit(1)
    threading.Thread(target=_watch, args=(link.pid,), name="parent-watchdog", daemon=True).start()


def _death_signal() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # no prctl: the watchdog alone ends the process


def _watch(parent: int) -> None:
    # os._exit, not sys.exit: the main thread may be deep in C code (trafilatura, zstd).
    while os.getppid() == parent:
        time.sleep(_POLL_SECONDS)
    os._exit(1)
