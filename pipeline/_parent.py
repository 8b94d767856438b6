"""Child processes that end with their parent: build workers and sandbox workers.

A build killed with ``kill -9`` runs no cleanup, so its worker processes
(hundreds of MB each) and their extraction sandboxes would live on, finish
units into a staging folder nobody owns and then wait forever for orders.
:func:`bind_to_parent` is run first thing in every such child: on Linux the
kernel sends SIGKILL when the parent dies (``PR_SET_PDEATHSIG``); everywhere
a daemon thread polls ``os.getppid()`` and exits the process when it changes.

Ctrl-C belongs to the parent. A terminal sends SIGINT to the whole process
group, and a child that took it would die with a ``KeyboardInterrupt``
traceback mid-unit; so children ignore SIGINT and the parent, which knows
what to keep, stops them (:func:`bound_pool` kills its workers on an
interrupt, or any error that ends its block, instead of waiting for them).
A child is started with SIGINT blocked, so one that arrives while it is
still importing waits until the child has chosen to ignore it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.context import SpawnContext, SpawnProcess

__all__ = ["ParentLink", "bind_to_parent", "bound_pool", "parent_link", "spawn_context"]

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


class _SpawnProcess(SpawnProcess):
    """A spawned child that starts with SIGINT blocked (see the module docstring)."""

    def start(self) -> None:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            super().start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


class _SpawnContext(SpawnContext):
    Process = _SpawnProcess


def spawn_context() -> SpawnContext:
    """spawn, not fork (the caller may run threads: the demo's web server), Ctrl-C-safe."""
    return _SpawnContext()


@contextmanager
def bound_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` processes that die with this one, and at once on Ctrl-C."""
    pool = ProcessPoolExecutor(
        workers, mp_context=spawn_context(), initializer=_bind_worker, initargs=(parent_link(),)
    )
    try:
        yield pool
    except BaseException:
        # Ctrl-C, or an error that ends the build: nobody waits for what the workers are
        # doing, and a pool left running would finish every queued unit before exit.
        _kill_workers(pool)
        raise
    pool.shutdown()


def _bind_worker(link: ParentLink) -> None:
    """A pool worker leads its own process group, which the children it starts join.

    Stopping it then stops them in the same instant (:func:`_kill_workers`), one it is
    half-way through starting included: killed alone, the worker would leave that child
    reading its start-up data from a closed pipe, and printing the ``EOFError`` traceback
    to the terminal. Ctrl-C from the terminal no longer reaches the worker; it ignores it
    anyway (see the module docstring).
    """
    os.setpgid(0, 0)
    bind_to_parent(link)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    # The pool offers no way to stop a running task; its process table is the only handle.
    workers = list((pool._processes or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        _kill_group(worker.pid)
        worker.kill()  # not yet its own group leader: its sandbox follows by PR_SET_PDEATHSIG
    for worker in workers:
        worker.join(5)


def _kill_group(pid: int | None) -> None:
    if pid is None:
        return
    try:
        if os.getpgid(pid) == pid:  # the worker leads its group (not this process's group)
            os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # gone already


def bind_to_parent(link: ParentLink) -> None:
    """Make this process exit when ``link.pid`` dies (run in the child, before any work)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C stops
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
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
