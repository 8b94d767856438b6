"""The request log: every response any publisher sends, in the order they were sent."""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["RequestLog", "RequestLogEntry"]


@dataclass(frozen=True, slots=True)
class RequestLogEntry:
    """One request as the server saw it; ``path`` is the raw request target, query included."""

    # time.time() when the handler took the request up (its headers read), always before it
    # answers: late by thread scheduling under load, never after the answer (for a malformed
    # request, when answered). Politeness tests rely on "before the answer" only.
    time: float
    publisher: str
    port: int
    method: str
    path: str
    user_agent: str
    status: int


class RequestLog:
    """A thread-safe append-only list: handler threads write, tests and the demo read copies."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RequestLogEntry] = []

    def record(self, entry: RequestLogEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def snapshot(self) -> list[RequestLogEntry]:
        with self._lock:
            return list(self._entries)
