"""robots.txt backends behind one tiny interface, chosen by name or dotted path.

Our engine (``"gleaner"``) is the default and the only one ``evaluate`` uses. Protego and
robotexclusionrulesparser are kept selectable **for robots.txt fetch checks only** and are
**legacy**: both disagree with RFC 9309 in ways that matter to us (Protego selects the
``Applebot`` group for ``Applebot-Extended``; rerp has no percent-encoding normalisation), as
``make conformance`` (``python -m bench.conformance``) shows. They are imported only when selected.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol, runtime_checkable

from policies.errors import BackendError, UnknownBackendError
from policies.robots import RobotsTxt

__all__ = [
    "BACKENDS",
    "GleanerBackend",
    "ProtegoBackend",
    "RerpBackend",
    "RobotsBackend",
    "RobotsParser",
    "get_backend",
]


@runtime_checkable
class RobotsParser(Protocol):
    """A parsed robots.txt."""

    def can_fetch(self, url: str, agent: str) -> bool:
        """May ``agent`` fetch ``url``?"""
        ...


@runtime_checkable
class RobotsBackend(Protocol):
    """Builds parsers from robots.txt bodies (2xx responses only)."""

    name: str
    legacy: bool

    def parse(self, body: bytes | str) -> RobotsParser:
        """Parse a body; the result answers ``can_fetch``."""
        ...


def _text(body: bytes | str) -> str:
    return body if isinstance(body, str) else body.decode("utf-8", "replace")


class GleanerBackend:
    """Our RFC 9309 engine (the default)."""

    name = "gleaner"
    legacy = False

    def parse(self, body: bytes | str) -> RobotsParser:
        return RobotsTxt.parse(body)


class _ProtegoParser:
    def __init__(self, parsed: Any) -> None:
        self._parsed = parsed

    def can_fetch(self, url: str, agent: str) -> bool:
        return bool(self._parsed.can_fetch(url, agent))


class ProtegoBackend:
    """Legacy: Scrapy's default parser (substring-like group selection, see §1.3)."""

    name = "protego"
    legacy = True

    def parse(self, body: bytes | str) -> RobotsParser:
        protego = _import("protego")
        return _ProtegoParser(protego.Protego.parse(_text(body)))


class _RerpParser:
    def __init__(self, parsed: Any) -> None:
        self._parsed = parsed

    def can_fetch(self, url: str, agent: str) -> bool:
        return bool(self._parsed.is_allowed(agent, url))


class RerpBackend:
    """Legacy: robotexclusionrulesparser (no percent-encoding normalisation)."""

    name = "rerp"
    legacy = True

    def parse(self, body: bytes | str) -> RobotsParser:
        module = _import("robotexclusionrulesparser")
        parser = module.RobotExclusionRulesParser()
        parser.parse(_text(body))
        return _RerpParser(parser)


BACKENDS: dict[str, type[GleanerBackend | ProtegoBackend | RerpBackend]] = {
    "gleaner": GleanerBackend,
    "protego": ProtegoBackend,
    "rerp": RerpBackend,
}


def get_backend(name: str = "gleaner") -> RobotsBackend:
    """Return a backend by short name or dotted path (``package.module.ClassName``).

    Raises :class:`UnknownBackendError` when nothing has that name, and
    :class:`BackendError` when the object found is not a backend.
    """
    if name in BACKENDS:
        return BACKENDS[name]()
    module_name, _, attribute = name.replace(":", ".").rpartition(".")
    if not module_name:
        raise UnknownBackendError(f"robots backend ({name!r}) is not one of {sorted(BACKENDS)}")
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise UnknownBackendError(f"robots backend ({name!r}) cannot be imported") from exc
    backend = found() if isinstance(found, type) else found
    if not isinstance(backend, RobotsBackend):
        raise BackendError(f"robots backend ({name!r}) has no name/legacy/parse(body)")
    return backend


def _import(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise BackendError(f"robots backend needs {module!r}, which is not installed") from exc
