"""Run a third-party parser in a worker process that can be killed and replaced.

trafilatura and lxml are C-backed and fed hostile HTML: a page can make them
loop for minutes or crash the interpreter. :class:`Sandbox` sends one page at
a time to a spawned worker and waits at most ``timeout`` seconds; a worker
that overruns is killed, one that died is noticed, and either is replaced
before the next page. The caller gets an :class:`Outcome` and counts it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

from pipeline._parent import ParentLink, bind_to_parent, parent_link, spawn_context

__all__ = ["Outcome", "Sandbox"]

log = logging.getLogger(__name__)

_In = TypeVar("_In")
_Out = TypeVar("_Out")
_READY = "ready"


@dataclass(frozen=True, slots=True)
class Outcome(Generic[_Out]):
    """``status`` is ``ok``, ``error`` (the function raised), ``timeout`` or ``crashed``."""

    status: str
    value: _Out | None = None
    error: str | None = None


def _serve(
    conn: Connection, function: Callable[[Any], Any], warmup: Any, parent: ParentLink
) -> None:
    """The worker's loop: answer each request with ``(status, value)`` until EOF."""
    bind_to_parent(parent)  # a killed build must not leave its parser behind
    if warmup is not None:
        try:
            function(warmup)  # imports and caches are paid here, not by the first page
        except Exception:
            log.debug("sandbox warm-up failed", exc_info=True)
    conn.send(_READY)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", function(request)))
        except Exception as exc:
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class Sandbox(Generic[_In, _Out]):
    """Call ``function`` (a picklable module-level callable) in a replaceable worker."""

    def __init__(
        self,
        function: Callable[[_In], _Out],
        *,
        timeout: float,
        start_timeout: float = 120.0,
        warmup: _In | None = None,
    ) -> None:
        self.function = function
        self.timeout = timeout
        self.start_timeout = start_timeout
        self.warmup = warmup
        self.restarts = 0
        self._context = spawn_context()
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._ready = False

    def start(self) -> None:
        """Start the worker now (it warms up while the caller does other work)."""
        if self._process is not None:
            return
        parent, child = self._context.Pipe()
        self._process = self._context.Process(
            target=_serve,
            args=(child, self.function, self.warmup, parent_link()),
            name="sandbox",
            daemon=True,  # stopped when the build exits; bind_to_parent covers kill -9
        )
        self._process.start()
        child.close()
        self._conn, self._ready = parent, False

    def run(self, request: _In) -> Outcome[_Out]:
        """Call the function on ``request`` in the worker, within the time limit."""
        self.start()
        conn = self._conn
        if conn is None:
            return Outcome("crashed", error="worker did not start")
        try:
            if not self._ready and not self._await_ready(conn):
                return Outcome("crashed", error="worker did not start")
            conn.send(request)
            if not conn.poll(self.timeout):
                self._replace("timeout")
                return Outcome("timeout")
            status, value = conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(f"crashed: {exc!r}")
            return Outcome("crashed", error=repr(exc))
        if status == "ok":
            return Outcome("ok", value=value)
        return Outcome("error", error=str(value))

    def _await_ready(self, conn: Connection) -> bool:
        if not conn.poll(self.start_timeout):
            self._replace("start timeout")
            return False
        self._ready = conn.recv() == _READY
        return self._ready

    def _replace(self, why: str) -> None:
        log.warning("sandbox worker replaced (%s)", why)
        self.restarts += 1
        self.close()

    def close(self) -> None:
        """Stop the worker (killed: it may be stuck in C code)."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        self._process, self._conn, self._ready = None, None, False

    def __enter__(self) -> Sandbox[_In, _Out]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
