"""The policies error vocabulary.

Evaluating content never raises: bad robots.txt, HTML, headers or tdmrep.json bytes always
get a verdict (OPTOUT-SIGNALS.md; STYLE.md §11). Errors are for the caller's own mistakes,
found when configuration is built, so a run stops at startup rather than mid-crawl::

    PolicyError                  base class; catch this to catch everything below
    ├── PolicyConfigError        a PolicyConfig value is invalid (also a ValueError)
    └── BackendError             a robots.txt backend cannot be used
        └── UnknownBackendError  no backend has that name or dotted path
"""

from __future__ import annotations

__all__ = ["BackendError", "PolicyConfigError", "PolicyError", "UnknownBackendError"]


class PolicyError(Exception):
    """Base class of every error raised by ``policies``."""


class PolicyConfigError(PolicyError, ValueError):
    """Raised by ``PolicyConfig`` when a value is invalid; the message quotes the value."""


class BackendError(PolicyError):
    """Raised by ``policies.backends`` when a backend cannot be imported or built."""


class UnknownBackendError(BackendError, LookupError):
    """Raised by ``policies.backends.get_backend`` for a name or dotted path it cannot find."""
