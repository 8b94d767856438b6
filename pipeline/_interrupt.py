"""Ctrl-C during a build: one clean stop, however many times it is pressed.

The first SIGINT raises ``KeyboardInterrupt`` where the build is; every later
one is ignored, so the unwinding (killing workers and sandboxes, closing
files) cannot itself be interrupted half-way and end in a traceback. The
build keeps what it finished (see :mod:`pipeline.executor`) for ``--resume``.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["interrupt_once"]


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


@contextmanager
def interrupt_once() -> Iterator[None]:
    """Within the block, the first Ctrl-C interrupts and the rest are ignored.

    Only the main thread may set signal handlers; elsewhere the block runs as is.
    After an interrupt SIGINT stays ignored: the process is on its way out.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _interrupt)
    try:
        yield
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        raise
    signal.signal(signal.SIGINT, previous)
